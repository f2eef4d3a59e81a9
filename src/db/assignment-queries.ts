import type { EntityManager } from 'typeorm'
import { PROJECT_IN_SCOPE, scopeParams, type StaffScope } from './access'
import { queryRows } from './sql'

type Db = Pick<EntityManager, 'query'>

/**
 * Candidates for a household: active ambassadors with a rule for one of its buildings; else with a rule for
 * its project; else the active ambassadors of that project. With their current load. A rule whose
 * ambassador has left counts as no rule, so the household falls through to the next level.
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
       SELECT r.ambassador_id FROM assignment_rule r JOIN scope s ON s.building_id = r.building_id
         JOIN ambassador a ON a.id = r.ambassador_id AND a.active),
     by_project AS (
       SELECT r.ambassador_id FROM assignment_rule r JOIN scope s ON s.project_id = r.project_id
         JOIN ambassador a ON a.id = r.ambassador_id AND a.active
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

export interface AssignmentRule {
  id: number
  ambassadorId: number
  ambassadorName: string
  active: boolean
  projectId: number
  projectName: string
  /** null: the rule covers the whole project (buildings without a rule of their own). */
  buildingId: number | null
  building: string | null
}

/** The rules of the projects in scope, optionally of one project. */
export function listAssignmentRules(
  db: Db,
  scope: StaffScope,
  projectId: number | null,
): Promise<AssignmentRule[]> {
  return queryRows<AssignmentRule>(
    db,
    `SELECT r.id, r.ambassador_id AS "ambassadorId", a.name AS "ambassadorName", a.active,
            r.project_id AS "projectId", p.name AS "projectName", r.building_id AS "buildingId", b.name AS building
       FROM assignment_rule r JOIN ambassador a ON a.id = r.ambassador_id JOIN project p ON p.id = r.project_id
       LEFT JOIN building b ON b.id = r.building_id
      WHERE ($1::int IS NULL OR r.project_id = $1) AND ${PROJECT_IN_SCOPE('r.project_id', 2)}
      ORDER BY p.code, b.name NULLS FIRST, a.name`,
    [projectId, ...scopeParams(scope)],
  )
}

/** A building of a project by the name the developer gave it (3号楼, A座), as the customer file spells it. */
export async function buildingByName(db: Db, projectId: number, name: string): Promise<number | null> {
  const [row] = await queryRows<{ id: number }>(
    db,
    `SELECT id FROM building WHERE project_id = $1 AND name = $2`,
    [projectId, name],
  )
  return row?.id ?? null
}

/** Adds a rule; null when the same rule exists already. */
export async function insertAssignmentRule(
  db: Db,
  rule: { ambassadorId: number; projectId: number; buildingId: number | null },
): Promise<number | null> {
  const [row] = await queryRows<{ id: number }>(
    db,
    `INSERT INTO assignment_rule (ambassador_id, project_id, building_id)
     SELECT $1, $2, $3
      WHERE NOT EXISTS (SELECT 1 FROM assignment_rule WHERE ambassador_id = $1 AND project_id = $2
                          AND building_id IS NOT DISTINCT FROM $3::int)
     RETURNING id`,
    [rule.ambassadorId, rule.projectId, rule.buildingId],
  )
  return row?.id ?? null
}

export async function assignmentRuleById(
  db: Db,
  id: number,
): Promise<{ id: number; projectId: number; ambassadorId: number; buildingId: number | null } | null> {
  const [row] = await queryRows<{
    id: number
    projectId: number
    ambassadorId: number
    buildingId: number | null
  }>(
    db,
    `SELECT id, project_id AS "projectId", ambassador_id AS "ambassadorId", building_id AS "buildingId"
       FROM assignment_rule WHERE id = $1`,
    [id],
  )
  return row ?? null
}

export async function deleteAssignmentRule(db: Db, id: number): Promise<void> {
  await db.query(`DELETE FROM assignment_rule WHERE id = $1`, [id])
}
