import type { EntityManager } from 'typeorm'
import { maskPhone } from '../domain/customer'

type Db = Pick<EntityManager, 'query'>

/**
 * Who is looking: a token's role (the API, the console) or a staff record's role (the WeCom sidebar),
 * and the staff record they act as. One definition of what each may see serves every door.
 */
export interface Viewer {
  role: 'admin' | 'group_centre' | 'branch_head' | 'ambassador' | 'letter_staff' | 'supervisor'
  ambassadorId: number | null
}

/**
 * The part of the customer files a viewer may see: everything (admin, group centre, letter staff), one
 * ambassador's households, a supervisor's team, or one branch (a branch head: the branch of the project
 * their staff record belongs to; none if it has no project, so a misconfigured token sees nothing).
 */
export type StaffScope =
  | { kind: 'all' }
  | { kind: 'ambassador'; ambassadorId: number }
  | { kind: 'team'; supervisorId: number }
  | { kind: 'branch'; branch: string | null }

export async function scopeOf(db: Db, viewer: Viewer): Promise<StaffScope> {
  if (viewer.role === 'ambassador') return { kind: 'ambassador', ambassadorId: viewer.ambassadorId ?? -1 }
  if (viewer.role === 'supervisor') return { kind: 'team', supervisorId: viewer.ambassadorId ?? -1 }
  if (viewer.role !== 'branch_head') return { kind: 'all' }
  const [row] = await db.query(
    `SELECT p.branch FROM ambassador a JOIN project p ON p.id = a.project_id WHERE a.id = $1`,
    [viewer.ambassadorId],
  )
  return { kind: 'branch', branch: row?.branch ?? null }
}

/**
 * SQL that is true when staff member `ambassadorSql` (an ambassador id expression) lies in the scope
 * given as parameters $n (kind), $n+1 (id) and $n+2 (branch).
 */
export const AMBASSADOR_IN_SCOPE = (ambassadorSql: string, n: number) => `(
  $${n}::text = 'all'
  OR ($${n}::text = 'ambassador' AND ${ambassadorSql} = $${n + 1}::int)
  OR ($${n}::text = 'team' AND ${ambassadorSql} IN (SELECT id FROM ambassador WHERE id = $${n + 1}::int OR supervisor_id = $${n + 1}::int))
  OR ($${n}::text = 'branch' AND ${ambassadorSql} IN (SELECT a.id FROM ambassador a JOIN project p ON p.id = a.project_id WHERE p.branch = $${n + 2}::text)))`

/** SQL true when project `projectSql` lies in the scope ($n, $n+1, $n+2 as above). */
export const PROJECT_IN_SCOPE = (projectSql: string, n: number) => `(
  $${n}::text = 'all'
  OR ($${n}::text = 'branch' AND ${projectSql} IN (SELECT id FROM project WHERE branch = $${n + 2}::text))
  OR ($${n}::text IN ('ambassador', 'team') AND ${projectSql} IN (SELECT project_id FROM ambassador WHERE id = $${n + 1}::int)))`

/** SQL true when household `householdSql` lies in the scope ($n, $n+1, $n+2 as above). */
export const HOUSEHOLD_IN_SCOPE = (householdSql: string, n: number) => `(
  $${n}::text = 'all'
  OR ($${n}::text IN ('ambassador', 'team') AND EXISTS (
        SELECT 1 FROM ambassador_assignment aa WHERE aa.household_id = ${householdSql} AND aa.ended_at IS NULL
           AND ${AMBASSADOR_IN_SCOPE('aa.ambassador_id', n)}))
  OR ($${n}::text = 'branch' AND EXISTS (
        SELECT 1 FROM household_unit hu JOIN unit u ON u.id = hu.unit_id JOIN building b ON b.id = u.building_id
          JOIN project p ON p.id = b.project_id WHERE hu.household_id = ${householdSql} AND p.branch = $${n + 2}::text)))`

/** The three parameters the SQL above reads, in order. */
export const scopeParams = (scope: StaffScope): [string, number | null, string | null] => [
  scope.kind,
  scope.kind === 'ambassador' ? scope.ambassadorId : scope.kind === 'team' ? scope.supervisorId : null,
  // A branch head without a branch sees nothing: no branch is named '' (the branch table refuses it).
  // (Not a NUL-marked name: PostgreSQL refuses NUL in text, so every query of theirs would fail.)
  scope.kind === 'branch' ? (scope.branch ?? '') : null,
]

const holds = async (db: Db, condition: string, id: number, scope: StaffScope) =>
  (await db.query(`SELECT ${condition} AS ok`, [id, ...scopeParams(scope)]))[0]?.ok === true

export const canSeeHousehold = (db: Db, scope: StaffScope, householdId: number) =>
  holds(db, HOUSEHOLD_IN_SCOPE('$1::int', 2), householdId, scope)

export const canSeeProject = (db: Db, scope: StaffScope, projectId: number) =>
  holds(db, PROJECT_IN_SCOPE('$1::int', 2), projectId, scope)

/** Whether the viewer may hand work to (or act for) this staff member: an active one, in scope. */
export const canUseAmbassador = async (db: Db, scope: StaffScope, ambassadorId: number) =>
  (
    await db.query(`SELECT 1 FROM ambassador WHERE id = $1 AND active AND ${AMBASSADOR_IN_SCOPE('id', 2)}`, [
      ambassadorId,
      ...scopeParams(scope),
    ])
  ).length > 0

/** A case is in scope by its ambassador (ambassadors, supervisors) or its project (branch heads). */
export async function canSeeCase(
  db: Db,
  scope: StaffScope,
  found: { project_id: number; ambassador_id: number | null },
): Promise<boolean> {
  if (scope.kind === 'all') return true
  if (scope.kind === 'branch') return canSeeProject(db, scope, found.project_id)
  if (found.ambassador_id === null) return false
  return (
    (
      await db.query(`SELECT 1 WHERE ${AMBASSADOR_IN_SCOPE('$1::int', 2)}`, [
        found.ambassador_id,
        ...scopeParams(scope),
      ])
    ).length > 0
  )
}

/** Roles that may read phone numbers at all: admins, and ambassadors for their own households. */
export const mayReadPhones = (viewer: Viewer) => viewer.role === 'admin' || viewer.role === 'ambassador'

/** A phone number as this viewer may read it: whole for admins and the household's own ambassador. */
export const phoneFor = (viewer: Viewer, phone: string, ownHousehold: boolean) =>
  viewer.role === 'admin' || (viewer.role === 'ambassador' && ownHousehold) ? phone : maskPhone(phone)
