import type { EntityManager } from 'typeorm'
import { copy } from '../../copy'
import type { OwnerSession, SurveyServices, SurveyTarget } from '../../dialogs/ports'
import { reopensCase, type SatisfactionScore } from '../../domain/satisfaction'
import { pendingSurveysOf } from '../../db/case-queries'
import { lockHouseholdCase, recordSurveyAnswer } from '../../db/survey-queries'
import { supervisorOf } from '../../db/staff-directory'
import type { CaseClock } from '../cases/case-clock'
import { recordCaseEvent } from '../cases/case-events'
import { CaseLifecycle, lockCase } from '../cases/case-lifecycle'

/**
 * Callback surveys (回访): an unanswered survey row of a household case, or a finished case that has
 * never been surveyed. Cancelled repairs are not surveyed.
 */
export class PgSurveyServices implements SurveyServices {
  constructor(
    private readonly manager: EntityManager,
    private readonly now: Date,
    private readonly clock: CaseClock,
  ) {}

  async pendingSurveys(session: OwnerSession): Promise<SurveyTarget[]> {
    const rows = await pendingSurveysOf(this.manager, session.householdId)
    return rows.map((row) => ({
      caseNo: row.case_no,
      round: row.round,
      label: `${row.case_no}（${copy.caseKinds[row.kind] ?? row.kind}·${row.category}）`,
    }))
  }

  async record(
    session: OwnerSession,
    answer: { caseNo: string; round: number; score: SatisfactionScore; comment: string | null },
  ): Promise<{ recorded: boolean; reopened: boolean; supervisorName: string | null }> {
    const target = await lockHouseholdCase(this.manager, answer.caseNo, session.householdId)
    if (!target) return { recorded: false, reopened: false, supervisorName: null }
    const recorded = await recordSurveyAnswer(
      this.manager,
      {
        caseId: target.id,
        round: answer.round,
        ownerId: session.ownerId,
        score: answer.score,
        comment: answer.comment,
      },
      this.now,
    )
    if (!recorded) return { recorded: false, reopened: false, supervisorName: null }
    const actor = `owner:${session.ownerId}`
    await recordCaseEvent(this.manager, {
      caseId: target.id,
      actor,
      kind: 'survey',
      data: { round: answer.round, score: answer.score },
      at: this.now,
    })
    if (!reopensCase(answer.score)) return { recorded: true, reopened: false, supervisorName: null }

    // A poor score takes the case from the ambassador to their supervisor (or keeps it where there is none).
    const supervisor = await supervisorOf(this.manager, target.ambassador_id)
    const locked = await lockCase(this.manager, target.id)
    if (locked)
      await new CaseLifecycle(this.manager, this.clock, this.now).reopen(
        locked,
        actor,
        {
          reason: 'survey',
          score: answer.score,
          comment: answer.comment,
          supervisorId: supervisor?.id ?? null,
        },
        supervisor?.id ?? null,
      )
    return { recorded: true, reopened: true, supervisorName: supervisor?.name ?? null }
  }
}
