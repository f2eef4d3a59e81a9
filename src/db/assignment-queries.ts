import type { EntityManager } from 'typeorm'
import { queryRows } from './sql'

type Db = Pick<EntityManager, 'query'>

/**
 * Candidates for a household: ambassadors with a rule for one of its buildings; else with a rule for its
 * project; else the active ambassadors of that project. With their current load.
 */
export async function assignmentCandidates(
  manager: Pick<EntityManager, 'query'>,
  householdId: number,
): Promise<{ id: number; households: number; openCases: number }[]> {
  return manager.query(
    `WITH scope AS (
       SELECT DISTINCT b.id AS building_id, b.project_id
         FROM household_unit hu JOIN unit u ON u.id = hu.unit_id JOIN building b ON b.id = u.building_id
        WHERE hu.household_id = $1),
     by_building AS (
       SELECT r.ambassador_id FROM assignment_rule r JOIN scope s ON s.building_id = r.building_id),
     by_project AS (
       SELECT r.ambassador_id FROM assignment_rule r JOIN scope s ON s.project_id = r.project_id
        WHERE r.building_id IS NULL),
     by_home AS (
       SELECT a.id AS ambassador_id FROM ambassador a JOIN scope s ON s.project_id = a.project_id
        WHERE a.role = 'ambassador'),
     chosen AS (
       SELECT ambassador_id FROM by_building
       UNION SELECT ambassador_id FROM by_project WHERE NOT EXISTS (SELECT 1 FROM by_building)
       UNION SELECT ambassador_id FROM by_home
        WHERE NOT EXISTS (SELECT 1 FROM by_building) AND NOT EXISTS (SELECT 1 FROM by_project))
     SELECT a.id,
            (SELECT count(*)::int FROM ambassador_assignment aa WHERE aa.ambassador_id = a.id AND aa.ended_at IS NULL) AS households,
            (SELECT count(*)::int FROM service_case c WHERE c.ambassador_id = a.id
                AND c.status NOT IN ('resolved', 'closed')) AS "openCases"
       FROM ambassador a JOIN chosen ON chosen.ambassador_id = a.id
      WHERE a.active`,
    [householdId],
  )
}

/** Locks the household: assignments to it happen one at a time. */
export async function lockHousehold(db: Db, householdId: number): Promise<void> {
  await db.query(`SELECT id FROM household WHERE id = $1 FOR UPDATE`, [householdId])
}

export async function currentAmbassadorId(db: Db, householdId: number): Promise<number | null> {
  const [current] = await db.query(
    `SELECT ambassador_id FROM ambassador_assignment WHERE household_id = $1 AND ended_at IS NULL`,
    [householdId],
  )
  return current?.ambassador_id ?? null
}

export async function startAssignment(
  db: Db,
  householdId: number,
  ambassadorId: number,
  reason: string,
  at: Date | null,
): Promise<void> {
  await db.query(
    `INSERT INTO ambassador_assignment (household_id, ambassador_id, assigned_at, reason)
     VALUES ($1, $2, COALESCE($3, now()), $4)`,
    [householdId, ambassadorId, at, reason],
  )
}

/** Ends the current assignment; returns who had the household. */
export async function endAssignment(
  db: Db,
  householdId: number,
  reason: string,
  at: Date,
): Promise<number | null> {
  const ended = await queryRows<{ ambassador_id: number }>(
    db,
    `UPDATE ambassador_assignment SET ended_at = $2, reason = reason || ' → ' || $3
      WHERE household_id = $1 AND ended_at IS NULL RETURNING ambassador_id`,
    [householdId, at, reason],
  )
  return ended[0]?.ambassador_id ?? null
}

/** Moves the household's open cases to another ambassador; returns the cases moved. */
export function moveOpenCases(
  db: Db,
  householdId: number,
  toAmbassadorId: number,
  at: Date,
): Promise<{ id: number }[]> {
  return queryRows<{ id: number }>(
    db,
    `UPDATE service_case SET ambassador_id = $2, updated_at = $3
      WHERE household_id = $1 AND status NOT IN ('resolved', 'closed') AND ambassador_id IS DISTINCT FROM $2
      RETURNING id`,
    [householdId, toAmbassadorId, at],
  )
}
