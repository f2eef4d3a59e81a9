import type { EntityManager } from 'typeorm'
import type {
  AmbassadorCard,
  CaseSummary,
  FiledCase,
  NewComplaint,
  OwnerServices,
  OwnerSession,
  UnitSummary,
} from '../dialogs/ports'
import { formatShanghai } from '../domain/working-time'
import { audit, openCase } from './case-store'

/** The dialogs' port over Postgres, bound to the transaction of the message being handled. */
export class PgOwnerServices implements OwnerServices {
  constructor(
    private readonly manager: EntityManager,
    private readonly now: Date,
  ) {}

  async unitsOf(session: OwnerSession): Promise<UnitSummary[]> {
    const rows: { unit_id: number; project_id: number; label: string }[] = await this.manager.query(
      `SELECT u.id AS unit_id, p.id AS project_id, p.name || ' ' || b.name || ' ' || u.room_no AS label
         FROM household_unit hu
         JOIN unit u ON u.id = hu.unit_id
         JOIN building b ON b.id = u.building_id
         JOIN project p ON p.id = b.project_id
        WHERE hu.household_id = $1
        ORDER BY p.name, b.name, u.room_no`,
      [session.householdId],
    )
    return rows.map((row) => ({ unitId: row.unit_id, projectId: row.project_id, label: row.label }))
  }

  async ambassadorOf(session: OwnerSession): Promise<AmbassadorCard | null> {
    const rows: AmbassadorCard[] = await this.manager.query(
      `SELECT a.id, a.name, a.phone
         FROM ambassador_assignment aa JOIN ambassador a ON a.id = aa.ambassador_id
        WHERE aa.household_id = $1 AND aa.ended_at IS NULL`,
      [session.householdId],
    )
    return rows[0] ?? null
  }

  async recentCases(session: OwnerSession, limit: number): Promise<CaseSummary[]> {
    const rows: { case_no: string; kind: string; category: string; status: string; created_at: Date }[] =
      await this.manager.query(
        `SELECT case_no, kind, category, status, created_at FROM service_case
          WHERE household_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
        [session.householdId, limit],
      )
    return rows.map((row) => ({
      caseNo: row.case_no,
      kind: row.kind,
      category: row.category,
      status: row.status,
      createdAt: formatShanghai(row.created_at),
    }))
  }

  async fileComplaint(session: OwnerSession, complaint: NewComplaint): Promise<FiledCase> {
    const ambassador = await this.ambassadorOf(session)
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
    })
    return { caseNo: filed.caseNo, ambassadorName: ambassador?.name ?? null }
  }

  async handOffToAmbassador(session: OwnerSession, context: string): Promise<AmbassadorCard | null> {
    const ambassador = await this.ambassadorOf(session)
    await this.manager.query(`UPDATE conversation SET handed_off_at = $2 WHERE id = $1`, [
      session.conversationId,
      this.now,
    ])
    await audit(this.manager, {
      actor: `owner:${session.ownerId}`,
      action: 'conversation.handoff',
      subjectType: 'conversation',
      subjectId: String(session.conversationId),
      details: { ambassadorId: ambassador?.id ?? null, context },
    })
    return ambassador
  }
}
