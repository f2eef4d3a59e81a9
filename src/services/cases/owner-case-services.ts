import { sessionAmbassador } from '../households/owner-services'
import type { EntityManager } from 'typeorm'
import { listCategories } from '../../db/category-queries'
import { copy } from '../../copy'
import type {
  CaseDetail,
  CaseServices,
  CaseSummary,
  FiledCase,
  NewComplaint,
  OwnerSession,
} from '../../dialogs/ports'
import { formatShanghai } from '../../domain/working-time'
import type { CaseClock } from './case-clock'
import { CaseLifecycle, lockCase, type LifecycleCase } from './case-lifecycle'
import { openRecordedCase, recordCaseEvent } from './case-events'
import { askForGroupWarningCheck } from './group-warning'
import {
  caseEventsOfKinds,
  householdCase,
  householdCases,
  type HouseholdCaseRow,
} from '../../db/case-queries'

type CaseRow = HouseholdCaseRow

const summary = (row: CaseRow): CaseSummary => ({
  caseNo: row.case_no,
  kind: row.kind,
  category: row.category,
  status: row.status,
  createdAt: formatShanghai(row.created_at),
  ...(row.slot_starts ? { slot: formatShanghai(row.slot_starts) } : {}),
})

/** An owner's cases, always scoped to the owner's household. */
export class PgCaseServices implements CaseServices {
  constructor(
    private readonly manager: EntityManager,
    private readonly now: Date,
    private readonly clock: CaseClock,
  ) {}

  async complaintCategories(): Promise<string[]> {
    return (await listCategories(this.manager, { kind: 'complaint' })).map((c) => c.name)
  }

  async recentCases(session: OwnerSession, limit: number): Promise<CaseSummary[]> {
    return (await householdCases(this.manager, session.householdId, limit)).map(summary)
  }

  async caseDetail(session: OwnerSession, caseNo: string): Promise<CaseDetail | null> {
    const row = await this.findCase(session, caseNo)
    if (!row) return null
    // Owners see what was done for them, in their words; internal events (breaches, staff notes,
    // reassignments) stay with staff.
    const events = await caseEventsOfKinds(this.manager, row.id, Object.keys(copy.cases.history))
    return {
      ...summary(row),
      description: row.description,
      location: row.location ?? copy.complaint.publicArea,
      escalationLevel: row.escalation_level,
      history: events.map((event) => ({ at: formatShanghai(event.at), what: event.kind })),
    }
  }

  async fileComplaint(session: OwnerSession, complaint: NewComplaint): Promise<FiledCase> {
    const ambassador = await sessionAmbassador(this.manager, session)
    const filed = await openRecordedCase(
      this.manager,
      {
        kind: 'complaint',
        category: complaint.category,
        projectId: complaint.projectId,
        householdId: session.householdId,
        ownerId: session.ownerId,
        unitId: complaint.unitId,
        publicArea: complaint.publicArea,
        ambassadorId: ambassador?.id ?? null,
        intakeChannel: session.channel,
        description: complaint.description,
        actor: `owner:${session.ownerId}`,
        now: this.now,
        attachments: complaint.attachments,
      },
      { location: complaint.location, description: complaint.description },
    )
    await this.clock.start(this.manager, {
      id: filed.id,
      kind: 'complaint',
      publicArea: complaint.publicArea,
      openedAt: this.now,
      projectId: complaint.projectId,
    })
    await askForGroupWarningCheck(this.manager, complaint.projectId, complaint.category, this.now)
    return { caseNo: filed.caseNo, ambassadorName: ambassador?.name ?? null }
  }

  async addOwnerNote(session: OwnerSession, caseNo: string, note: string): Promise<boolean> {
    const row = await this.findCase(session, caseNo)
    if (!row) return false
    const actor = `owner:${session.ownerId}`
    await recordCaseEvent(this.manager, {
      caseId: row.id,
      actor,
      kind: 'owner_note',
      data: { note, by: session.ownerName },
      at: this.now,
    })
    // If staff were waiting for it, the SLA clock runs again.
    const locked = await lockCase(this.manager, row.id)
    if (locked) await this.lifecycle().ownerAnswered(locked, actor)
    return true
  }

  async escalateToGroup(
    session: OwnerSession,
    caseNo: string,
    reason: string,
  ): Promise<'escalated' | 'already' | 'not_found'> {
    const row = await this.findCase(session, caseNo, true)
    if (!row) return 'not_found'
    if (row.escalation_level >= 2) return 'already'
    // Channel 5: the group centre takes over; a closed case is reopened for it.
    const actor = `owner:${session.ownerId}`
    const locked = (await lockCase(this.manager, row.id)) as LifecycleCase
    if (locked.status === 'resolved' || locked.status === 'closed')
      await this.lifecycle().reopen(locked, actor, { reason: 'escalation' })
    await this.lifecycle().escalate(locked, 2, actor, 'escalated', {
      reason,
      to: 'group',
      by: session.ownerName,
    })
    return 'escalated'
  }

  private async findCase(session: OwnerSession, caseNo: string, lock = false): Promise<CaseRow | null> {
    return householdCase(this.manager, session.householdId, caseNo, lock)
  }

  private lifecycle(): CaseLifecycle {
    return new CaseLifecycle(this.manager, this.clock, this.now)
  }
}
