import type { EntityManager } from 'typeorm'
import { copy } from '../dialogs/copy.zh-cn'
import type {
  CaseDetail,
  CaseServices,
  CaseSummary,
  FiledCase,
  NewComplaint,
  OwnerSession,
} from '../dialogs/ports'
import { formatShanghai } from '../domain/working-time'
import type { CaseClock } from './case-clock'
import { appendCaseEvent, openCase } from './case-store'
import type { GroupWarningSettings } from './dialog-deps'
import { raiseGroupWarningIfClustered } from './group-warning'
import { ambassadorOfHousehold, UNIT_LABEL_SQL } from './owner-services'
import { queryRows } from './sql'
import { caseCard, groupCentreId, notifyStaff } from './staff-notifications'

interface CaseRow {
  id: number
  case_no: string
  kind: string
  category: string
  status: string
  created_at: Date
  description: string
  escalation_level: number
  ambassador_id: number | null
  location: string | null
  slot_starts: Date | null
}

const CASE_COLUMNS = `c.id, c.case_no, c.kind, c.category, c.status, c.created_at, c.description, c.escalation_level,
  c.ambassador_id, (SELECT ${UNIT_LABEL_SQL} FROM unit u JOIN building b ON b.id = u.building_id
                     JOIN project p ON p.id = b.project_id WHERE u.id = c.unit_id) AS location,
  (SELECT starts_at FROM repair_slot s WHERE s.id = c.repair_slot_id) AS slot_starts`

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
    private readonly groupWarning: GroupWarningSettings,
  ) {}

  async recentCases(session: OwnerSession, limit: number): Promise<CaseSummary[]> {
    const rows: CaseRow[] = await this.manager.query(
      `SELECT ${CASE_COLUMNS} FROM service_case c WHERE c.household_id = $1
        ORDER BY c.created_at DESC, c.id DESC LIMIT $2`,
      [session.householdId, limit],
    )
    return rows.map(summary)
  }

  async caseDetail(session: OwnerSession, caseNo: string): Promise<CaseDetail | null> {
    const row = await this.findCase(session, caseNo)
    if (!row) return null
    const events: { at: Date; kind: string }[] = await this.manager.query(
      `SELECT at, kind FROM case_event WHERE case_id = $1 ORDER BY id`,
      [row.id],
    )
    return {
      ...summary(row),
      description: row.description,
      location: row.location ?? copy.complaint.publicArea,
      escalationLevel: row.escalation_level,
      history: events.map((event) => ({ at: formatShanghai(event.at), what: event.kind })),
    }
  }

  async fileComplaint(session: OwnerSession, complaint: NewComplaint): Promise<FiledCase> {
    const ambassador = await ambassadorOfHousehold(this.manager, session.householdId)
    const filed = await openCase(this.manager, {
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
    })
    await this.clock.start(this.manager, {
      id: filed.id,
      kind: 'complaint',
      publicArea: complaint.publicArea,
      openedAt: this.now,
    })
    const location = (await this.findCase(session, filed.caseNo))?.location ?? copy.complaint.publicArea
    await notifyStaff(
      this.manager,
      ambassador?.id ?? null,
      caseCard(
        filed.caseNo,
        copy.staff.newComplaint({
          caseNo: filed.caseNo,
          owner: session.ownerName,
          location,
          category: complaint.category,
          description: complaint.description,
        }),
      ),
    )
    await raiseGroupWarningIfClustered(
      this.manager,
      complaint.projectId,
      complaint.category,
      this.now,
      this.groupWarning,
      this.clock,
    )
    return { caseNo: filed.caseNo, ambassadorName: ambassador?.name ?? null }
  }

  async addOwnerNote(session: OwnerSession, caseNo: string, note: string): Promise<boolean> {
    const row = await this.findCase(session, caseNo)
    if (!row) return false
    await appendCaseEvent(this.manager, row.id, `owner:${session.ownerId}`, 'owner_note', { note })
    await this.touch(row.id)
    if (row.status === 'waiting_owner') {
      // The owner answered what staff were waiting for: the SLA clock runs again.
      await this.manager.query(`UPDATE service_case SET status = 'in_progress' WHERE id = $1`, [row.id])
      await this.clock.resume(this.manager, row.id, this.now)
    }
    await notifyStaff(this.manager, row.ambassador_id, copy.staff.ownerNote(caseNo, session.ownerName, note))
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
    const reopen = row.status === 'resolved' || row.status === 'closed'
    await this.manager.query(
      `UPDATE service_case SET escalation_level = 2, status = CASE WHEN $2 THEN 'reopened' ELSE status END,
              closed_at = CASE WHEN $2 THEN NULL ELSE closed_at END, updated_at = $3
        WHERE id = $1`,
      [row.id, reopen, this.now],
    )
    await appendCaseEvent(this.manager, row.id, `owner:${session.ownerId}`, 'escalated', {
      reason,
      to: 'group',
    })
    await notifyStaff(
      this.manager,
      await groupCentreId(this.manager),
      copy.staff.escalated(caseNo, session.ownerName, reason),
    )
    return 'escalated'
  }

  private async findCase(session: OwnerSession, caseNo: string, lock = false): Promise<CaseRow | null> {
    const rows = await queryRows<CaseRow>(
      this.manager,
      `SELECT ${CASE_COLUMNS} FROM service_case c WHERE c.case_no = $1 AND c.household_id = $2
       ${lock ? 'FOR UPDATE OF c' : ''}`,
      [caseNo, session.householdId],
    )
    return rows[0] ?? null
  }

  private async touch(caseId: number): Promise<void> {
    await this.manager.query(`UPDATE service_case SET updated_at = $2 WHERE id = $1`, [caseId, this.now])
  }
}
