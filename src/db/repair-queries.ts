import type { EntityManager } from 'typeorm'
import { queryRows } from './sql'
import { UNIT_LABEL_SQL } from './unit-label'

type Db = Pick<EntityManager, 'query'>

export interface SlotRow {
  id: number
  starts_at: Date
  ends_at: Date
}

/** A unit of the household, with its project, delivery date and label; null when not theirs. */
export async function householdUnit(
  db: Db,
  householdId: number,
  unitId: number,
): Promise<{ project_id: number; delivered_on: string | null; label: string } | null> {
  const rows = await db.query(
    `SELECT b.project_id, u.delivered_on::text AS delivered_on, ${UNIT_LABEL_SQL} AS label
       FROM household_unit hu JOIN unit u ON u.id = hu.unit_id JOIN building b ON b.id = u.building_id
       JOIN project p ON p.id = b.project_id
      WHERE hu.household_id = $1 AND hu.unit_id = $2`,
    [householdId, unitId],
  )
  return rows[0] ?? null
}

/** An open repair of the household by its number (locked when asked). */
export async function openRepairOf(
  db: Db,
  householdId: number,
  caseNo: string,
  lock: boolean,
): Promise<{
  id: number
  project_id: number
  repair_slot_id: number | null
  ambassador_id: number | null
} | null> {
  const rows = await queryRows<{
    id: number
    project_id: number
    repair_slot_id: number | null
    ambassador_id: number | null
  }>(
    db,
    `SELECT id, project_id, repair_slot_id, ambassador_id FROM service_case
      WHERE case_no = $1 AND household_id = $2 AND kind = 'repair' AND status NOT IN ('resolved', 'closed')
      ${lock ? 'FOR UPDATE' : ''}`,
    [caseNo, householdId],
  )
  return rows[0] ?? null
}

/**
 * Visit windows of a project with a free place, soonest first. Where several repair teams offer the same
 * window the owner sees it once, as the slot of the team with the most room.
 */
export function freeSlots(
  db: Db,
  projectId: number,
  after: Date,
  except: number | null,
  limit: number,
): Promise<SlotRow[]> {
  return db.query(
    `SELECT id, starts_at, ends_at FROM (
       SELECT DISTINCT ON (starts_at, ends_at) id, starts_at, ends_at FROM repair_slot
        WHERE project_id = $1 AND booked < capacity AND starts_at > $2 AND id IS DISTINCT FROM $3
        ORDER BY starts_at, ends_at, capacity - booked DESC, id) AS windows
      ORDER BY starts_at LIMIT $4`,
    [projectId, after, except, limit],
  )
}

/**
 * Takes a place in the slot if one is free: one conditional UPDATE under the slot's row lock, so two
 * owners racing for the last place get one booking and one refusal.
 */
export async function takeSlotPlace(
  db: Db,
  slotId: number,
  projectId: number,
  after: Date,
): Promise<SlotRow | null> {
  const rows = await queryRows<SlotRow>(
    db,
    `UPDATE repair_slot SET booked = booked + 1
      WHERE id = $1 AND project_id = $2 AND booked < capacity AND starts_at > $3
      RETURNING id, starts_at, ends_at`,
    [slotId, projectId, after],
  )
  return rows[0] ?? null
}

export async function releaseSlotPlace(db: Db, slotId: number): Promise<void> {
  await db.query(`UPDATE repair_slot SET booked = booked - 1 WHERE id = $1 AND booked > 0`, [slotId])
}

export async function setRepairSlot(db: Db, caseId: number, slotId: number, at: Date | null): Promise<void> {
  await db.query(
    `UPDATE service_case SET repair_slot_id = $2, updated_at = COALESCE($3, updated_at) WHERE id = $1`,
    [caseId, slotId, at],
  )
}
