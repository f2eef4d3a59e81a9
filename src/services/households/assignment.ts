import type { EntityManager } from 'typeorm'
import { pickAmbassador, type AmbassadorLoad } from '../../domain/assignment'
import { appendCaseEvent, audit } from '../../db/case-store'
import { queryRows } from '../../db/sql'

/**
 * Candidates for a household: ambassadors with a rule for one of its buildings; else with a rule for its
 * project; else the active ambassadors of that project. With their current load.
 */
async function candidatesFor(manager: EntityManager, householdId: number): Promise<AmbassadorLoad[]> {
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

/** Gives a household without an ambassador the least-loaded candidate; returns the ambassador id. */
export async function assignHousehold(
  manager: EntityManager,
  householdId: number,
  actor: string,
): Promise<number | null> {
  // Serialises assignment per household so two simultaneous bindings cannot assign twice.
  await manager.query(`SELECT id FROM household WHERE id = $1 FOR UPDATE`, [householdId])
  const [current] = await manager.query(
    `SELECT ambassador_id FROM ambassador_assignment WHERE household_id = $1 AND ended_at IS NULL`,
    [householdId],
  )
  if (current) return current.ambassador_id
  const chosen = pickAmbassador(await candidatesFor(manager, householdId))
  if (chosen === null) return null
  await manager.query(
    `INSERT INTO ambassador_assignment (household_id, ambassador_id, reason) VALUES ($1, $2, 'auto: least loaded')`,
    [householdId, chosen],
  )
  await audit(manager, {
    actor,
    action: 'household.assigned',
    subjectType: 'household',
    subjectId: String(householdId),
    details: { ambassadorId: chosen },
  })
  return chosen
}

/**
 * Hands a household to another ambassador: the old assignment is ended (history kept), open cases move
 * with a case event each, so 首问负责制 has a record of every hand-over.
 */
export async function reassignHousehold(
  manager: EntityManager,
  householdId: number,
  toAmbassadorId: number,
  reason: string,
  actor: string,
  now: Date,
): Promise<{ movedCases: number }> {
  await manager.query(`SELECT id FROM household WHERE id = $1 FOR UPDATE`, [householdId])
  const ended = await queryRows<{ ambassador_id: number }>(
    manager,
    `UPDATE ambassador_assignment SET ended_at = $2, reason = reason || ' → ' || $3
      WHERE household_id = $1 AND ended_at IS NULL RETURNING ambassador_id`,
    [householdId, now, reason],
  )
  await manager.query(
    `INSERT INTO ambassador_assignment (household_id, ambassador_id, assigned_at, reason) VALUES ($1, $2, $3, $4)`,
    [householdId, toAmbassadorId, now, reason],
  )
  const moved = await queryRows<{ id: number; ambassador_id: number | null }>(
    manager,
    `UPDATE service_case SET ambassador_id = $2, updated_at = $3
      WHERE household_id = $1 AND status NOT IN ('resolved', 'closed') AND ambassador_id IS DISTINCT FROM $2
      RETURNING id, $4::int AS ambassador_id`,
    [householdId, toAmbassadorId, now, ended[0]?.ambassador_id ?? null],
  )
  for (const c of moved) {
    await appendCaseEvent(
      manager,
      c.id,
      actor,
      'reassigned',
      { from: c.ambassador_id, to: toAmbassadorId, reason },
      now,
    )
  }
  await audit(manager, {
    actor,
    action: 'household.reassigned',
    subjectType: 'household',
    subjectId: String(householdId),
    details: { from: ended[0]?.ambassador_id ?? null, to: toAmbassadorId, reason, movedCases: moved.length },
  })
  return { movedCases: moved.length }
}
