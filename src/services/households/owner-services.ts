import type { EntityManager } from 'typeorm'
import { UNIT_LABEL_SQL } from '../../db/unit-label'
import { copy } from '../../copy'
import type { AmbassadorCard, OwnerServices, OwnerSession, UnitSummary } from '../../dialogs/ports'
import { audit } from '../../db/case-store'
import { notifyStaff } from '../notifications/staff-notifications'

/** The household's units, its ambassador, and hand-off to that person. */
export class PgOwnerServices implements OwnerServices {
  constructor(
    private readonly manager: EntityManager,
    private readonly now: Date,
  ) {}

  async unitsOf(session: OwnerSession): Promise<UnitSummary[]> {
    const rows: { unit_id: number; project_id: number; label: string; delivered_on: string | null }[] =
      await this.manager.query(
        `SELECT u.id AS unit_id, p.id AS project_id, ${UNIT_LABEL_SQL} AS label, u.delivered_on::text AS delivered_on
           FROM household_unit hu
           JOIN unit u ON u.id = hu.unit_id
           JOIN building b ON b.id = u.building_id
           JOIN project p ON p.id = b.project_id
          WHERE hu.household_id = $1
          ORDER BY p.name, b.name, u.room_no`,
        [session.householdId],
      )
    return rows.map((row) => ({
      unitId: row.unit_id,
      projectId: row.project_id,
      label: row.label,
      deliveredOn: row.delivered_on,
    }))
  }

  async ambassadorOf(session: OwnerSession): Promise<AmbassadorCard | null> {
    return ambassadorOfHousehold(this.manager, session.householdId)
  }

  async handOffToAmbassador(session: OwnerSession, context: string): Promise<AmbassadorCard | null> {
    const ambassador = await this.ambassadorOf(session)
    await this.manager.query(
      `UPDATE conversation SET handed_off_at = $2, handed_off_to = $3, staff_active_at = NULL WHERE id = $1`,
      [session.conversationId, this.now, ambassador?.id ?? null],
    )
    await audit(this.manager, {
      actor: `owner:${session.ownerId}`,
      action: 'conversation.handoff',
      subjectType: 'conversation',
      subjectId: String(session.conversationId),
      details: { ambassadorId: ambassador?.id ?? null, context },
    })
    const where = copy.menuItems[context as keyof typeof copy.menuItems] ?? context
    await notifyStaff(this.manager, ambassador?.id ?? null, copy.staff.handOff(session.ownerName, where))
    return ambassador
  }
}

export async function ambassadorOfHousehold(
  manager: EntityManager,
  householdId: number,
): Promise<AmbassadorCard | null> {
  const rows: AmbassadorCard[] = await manager.query(
    `SELECT a.id, a.name, a.phone, a.wecom_user_id AS "wecomUserId"
       FROM ambassador_assignment aa JOIN ambassador a ON a.id = aa.ambassador_id
      WHERE aa.household_id = $1 AND aa.ended_at IS NULL`,
    [householdId],
  )
  return rows[0] ?? null
}
