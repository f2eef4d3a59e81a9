import type { EntityManager } from 'typeorm'
import { copy } from '../../copy'
import type { SurveyServices, SurveyTarget } from '../../dialogs/flows/survey.dialog'
import type { OwnerSession } from '../../dialogs/ports'
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
    return recordCallbackAnswer(this.manager, this.clock, this.now, {
      caseId: target.id,
      ambassadorId: target.ambassador_id,
      ownerId: session.ownerId,
      actor: `owner:${session.ownerId}`,
      via: 'chat',
      ...answer,
    })
  }
}

/**
 * A callback answer, however it came (the owner's survey dialog, or staff on the phone): kept once per
 * round — which also settles the round's callback task — and a poor score takes the case from the
 * ambassador to their supervisor (or keeps it where there is none), reopened.
 */
export async function recordCallbackAnswer(
  manager: EntityManager,
  clock: CaseClock,
  now: Date,
  answer: {
    caseId: number
    ambassadorId: number | null
    ownerId: number | null
    actor: string
    via: 'chat' | 'phone'
    round: number
    score: SatisfactionScore
    comment: string | null
  },
): Promise<{ recorded: boolean; reopened: boolean; supervisorName: string | null }> {
  const recorded = await recordSurveyAnswer(
    manager,
    {
      caseId: answer.caseId,
      round: answer.round,
      ownerId: answer.ownerId,
      score: answer.score,
      comment: answer.comment,
    },
    now,
  )
  if (!recorded) return { recorded: false, reopened: false, supervisorName: null }
  await recordCaseEvent(manager, {
    caseId: answer.caseId,
    actor: answer.actor,
    kind: 'survey',
    data: { round: answer.round, score: answer.score, via: answer.via },
    at: now,
  })
  if (!reopensCase(answer.score)) return { recorded: true, reopened: false, supervisorName: null }
  const supervisor = await supervisorOf(manager, answer.ambassadorId)
  const locked = await lockCase(manager, answer.caseId)
  if (locked)
    await new CaseLifecycle(manager, clock, now).reopen(
      locked,
      answer.actor,
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
