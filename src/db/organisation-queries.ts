import type { EntityManager } from 'typeorm'
import type { RepairCapacity } from '../domain/repair-capacity'
import type { ProjectServiceSettings } from '../domain/service-settings'
import type { SlaPolicies } from '../domain/sla'
import { PROJECT_IN_SCOPE, scopeParams, type StaffScope } from './access'
import { queryRows } from './sql'

type Db = Pick<EntityManager, 'query'>

export interface ProjectRecord {
  id: number
  code: string
  name: string
  city: string
  /** The branch's name (a `branch` record); null for a project imported without one. */
  branch: string | null
  address: string
  /** YYYY-MM-DD: when the project is (or was) handed over to its buyers; each unit keeps its own date. */
  deliveryDate: string | null
  repairCapacity: RepairCapacity | null
  onDutyStaffId: number | null
  /** "HH:MM-HH:MM", or null for the deployment's service hours. */
  serviceHours: string | null
  /** The SLA policies this project sets differently from the deployment's. */
  slaPolicies: Partial<SlaPolicies>
}

const PROJECT_COLUMNS = `id, code, name, city, branch, address,
  to_char(delivery_date, 'YYYY-MM-DD') AS "deliveryDate", repair_capacity AS "repairCapacity",
  on_duty_staff_id AS "onDutyStaffId", service_hours AS "serviceHours", sla_policies AS "slaPolicies"`

/**
 * Projects' own service settings, kept a minute in this process: every case clock operation reads them
 * and they seldom change. An edit through this module clears its project at once; another instance sees
 * it within the minute. (The minute is the process's own time, not the business clock: it is freshness.)
 */
const SETTINGS_KEPT_MS = 60_000
const settingsKept = new Map<number, { settings: ProjectServiceSettings | null; until: number }>()

/** What a project sets for its own clocks; null for no such project. */
export async function projectServiceSettings(
  db: Db,
  of: { projectId: number } | { caseId: number },
): Promise<ProjectServiceSettings | null> {
  if ('projectId' in of) {
    const kept = settingsKept.get(of.projectId)
    if (kept && kept.until > Date.now()) return kept.settings
  }
  const [row] = await queryRows<ProjectServiceSettings>(
    db,
    'caseId' in of
      ? `SELECT p.service_hours AS "serviceHours", p.sla_policies AS "slaPolicies"
           FROM service_case c JOIN project p ON p.id = c.project_id WHERE c.id = $1`
      : `SELECT service_hours AS "serviceHours", sla_policies AS "slaPolicies" FROM project WHERE id = $1`,
    ['caseId' in of ? of.caseId : of.projectId],
  )
  if ('projectId' in of)
    settingsKept.set(of.projectId, { settings: row ?? null, until: Date.now() + SETTINGS_KEPT_MS })
  return row ?? null
}

export async function insertProject(db: Db, project: NewProject): Promise<number | null> {
  const [row] = await queryRows<{ id: number }>(
    db,
    `INSERT INTO project (code, name, city, branch, address, delivery_date) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (code) DO NOTHING RETURNING id`,
    [project.code, project.name, project.city, project.branch, project.address, project.deliveryDate ?? null],
  )
  return row?.id ?? null
}

export interface NewProject {
  code: string
  name: string
  city: string
  branch: string
  address: string
  deliveryDate?: string | null
}

export type ProjectChange = Partial<{
  /** null clears it. */
  deliveryDate: string | null
  name: string
  city: string
  branch: string
  address: string
  onDutyStaffId: number
  /** null returns the project to the deployment's service hours. */
  serviceHours: string | null
  /** Replaces the project's own policies; {} returns it to the deployment's. */
  slaPolicies: Partial<SlaPolicies>
}>

export async function updateProject(db: Db, id: number, change: ProjectChange): Promise<void> {
  settingsKept.delete(id)
  await db.query(
    `UPDATE project SET name = COALESCE($2, name), city = COALESCE($3, city), branch = COALESCE($4, branch),
            address = COALESCE($5, address), on_duty_staff_id = COALESCE($6, on_duty_staff_id),
            service_hours = CASE WHEN $7::boolean THEN $8::text ELSE service_hours END,
            sla_policies = COALESCE($9::jsonb, sla_policies),
            delivery_date = CASE WHEN $10::boolean THEN $11::date ELSE delivery_date END
      WHERE id = $1`,
    [
      id,
      change.name ?? null,
      change.city ?? null,
      change.branch ?? null,
      change.address ?? null,
      change.onDutyStaffId ?? null,
      change.serviceHours !== undefined,
      change.serviceHours ?? null,
      change.slaPolicies === undefined ? null : JSON.stringify(change.slaPolicies),
      change.deliveryDate !== undefined,
      change.deliveryDate ?? null,
    ],
  )
}

export function listProjects(db: Db, scope: StaffScope): Promise<ProjectRecord[]> {
  return queryRows<ProjectRecord>(
    db,
    `SELECT ${PROJECT_COLUMNS} FROM project p WHERE ${PROJECT_IN_SCOPE('p.id', 1)} ORDER BY p.code`,
    scopeParams(scope),
  )
}

export async function projectById(db: Db, id: number): Promise<ProjectRecord | null> {
  const [row] = await queryRows<ProjectRecord>(db, `SELECT ${PROJECT_COLUMNS} FROM project WHERE id = $1`, [
    id,
  ])
  return row ?? null
}

export async function setRepairCapacity(db: Db, projectId: number, template: RepairCapacity): Promise<void> {
  await db.query(`UPDATE project SET repair_capacity = $2 WHERE id = $1`, [
    projectId,
    JSON.stringify(template),
  ])
}

/** Every capacity template in use, a project's or a team's, with whose slots it opens. */
export function repairCapacityTemplates(db: Db): Promise<(SlotOwner & { repairCapacity: RepairCapacity })[]> {
  return queryRows(
    db,
    `SELECT id AS "projectId", NULL::int AS "teamId", repair_capacity AS "repairCapacity"
       FROM project WHERE repair_capacity IS NOT NULL
     UNION ALL
     SELECT project_id, id, repair_capacity FROM repair_team WHERE repair_capacity IS NOT NULL AND active`,
  )
}

/** Whose slots: a project's own (one capacity for all its repairs), or one of its repair teams'. */
export interface SlotOwner {
  projectId: number
  teamId: number | null
}

/** Opens slots; one already open at that start keeps its capacity and bookings. Returns how many opened. */
export async function openRepairSlots(
  db: Db,
  owner: SlotOwner,
  slots: { startsAt: Date; endsAt: Date; capacity: number }[],
): Promise<number> {
  if (slots.length === 0) return 0
  const rows = await queryRows<{ id: number }>(
    db,
    `INSERT INTO repair_slot (project_id, team_id, starts_at, ends_at, capacity)
     SELECT $1, $2, s.starts_at, s.ends_at, s.capacity
       FROM unnest($3::timestamptz[], $4::timestamptz[], $5::int[]) AS s(starts_at, ends_at, capacity)
     ON CONFLICT (project_id, team_id, starts_at) DO NOTHING RETURNING id`,
    [
      owner.projectId,
      owner.teamId,
      slots.map((s) => s.startsAt),
      slots.map((s) => s.endsAt),
      slots.map((s) => s.capacity),
    ],
  )
  return rows.length
}

/**
 * One day's slots set to what an exception says: slots it keeps get its capacity (never below what is
 * booked), slots it drops take no more bookings (their bookings stay, for staff to move). Returns how
 * many visits are booked in slots the day no longer offers.
 */
export async function setDaySlots(
  db: Db,
  owner: SlotOwner,
  day: { from: Date; to: Date },
  slots: { startsAt: Date; endsAt: Date; capacity: number }[],
): Promise<{ strandedBookings: number }> {
  await db.query(
    `INSERT INTO repair_slot (project_id, team_id, starts_at, ends_at, capacity)
     SELECT $1, $2, s.starts_at, s.ends_at, s.capacity
       FROM unnest($3::timestamptz[], $4::timestamptz[], $5::int[]) AS s(starts_at, ends_at, capacity)
     ON CONFLICT (project_id, team_id, starts_at) DO UPDATE
       SET capacity = greatest(repair_slot.booked, EXCLUDED.capacity), ends_at = EXCLUDED.ends_at`,
    [
      owner.projectId,
      owner.teamId,
      slots.map((s) => s.startsAt),
      slots.map((s) => s.endsAt),
      slots.map((s) => s.capacity),
    ],
  )
  const [closed] = await queryRows<{ stranded: number }>(
    db,
    `WITH closed AS (
       UPDATE repair_slot SET capacity = booked
        WHERE project_id = $1 AND team_id IS NOT DISTINCT FROM $2::int AND starts_at >= $3 AND starts_at < $4
          AND NOT (starts_at = ANY($5::timestamptz[]))
       RETURNING booked)
     SELECT coalesce(sum(booked), 0)::int AS stranded FROM closed`,
    [owner.projectId, owner.teamId, day.from, day.to, slots.map((s) => s.startsAt)],
  )
  return { strandedBookings: closed.stranded }
}

export interface StaffRecord {
  id: number
  name: string
  wecomUserId: string | null
  phone: string
  role: string
  projectId: number | null
  supervisorId: number | null
  active: boolean
}

const STAFF_COLUMNS = `a.id, a.name, a.wecom_user_id AS "wecomUserId", a.phone, a.role, a.project_id AS "projectId",
  a.supervisor_id AS "supervisorId", a.active`

export async function insertStaff(
  db: Db,
  staff: {
    name: string
    wecomUserId: string
    phone: string
    role: string
    projectId: number | null
    supervisorId: number | null
  },
): Promise<number | null> {
  const [row] = await queryRows<{ id: number }>(
    db,
    `INSERT INTO ambassador (name, wecom_user_id, phone, role, project_id, supervisor_id)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (wecom_user_id) DO NOTHING RETURNING id`,
    [staff.name, staff.wecomUserId, staff.phone, staff.role, staff.projectId, staff.supervisorId],
  )
  return row?.id ?? null
}

/** Staff in scope: a branch head sees the staff of the branch's projects; ambassadors and supervisors none. */
export function listStaff(db: Db, scope: StaffScope): Promise<StaffRecord[]> {
  return queryRows<StaffRecord>(
    db,
    `SELECT ${STAFF_COLUMNS} FROM ambassador a
      WHERE $1::text = 'all' OR ($1::text = 'branch' AND a.project_id IN (SELECT id FROM project WHERE branch = $2::text))
      ORDER BY a.id`,
    [scopeParams(scope)[0], scopeParams(scope)[2]],
  )
}

/** The households a staff member is the current ambassador of. */
export async function householdsOfStaff(db: Db, staffId: number): Promise<number[]> {
  const rows = await queryRows<{ household_id: number }>(
    db,
    `SELECT household_id FROM ambassador_assignment WHERE ambassador_id = $1 AND ended_at IS NULL ORDER BY household_id`,
    [staffId],
  )
  return rows.map((row) => row.household_id)
}

/** Open cases still with a staff member once their households moved (cases without a household). */
export function moveRemainingOpenCases(
  db: Db,
  fromStaffId: number,
  toStaffId: number,
  at: Date,
): Promise<{ id: number }[]> {
  return queryRows<{ id: number }>(
    db,
    `UPDATE service_case SET ambassador_id = $2, updated_at = $3
      WHERE ambassador_id = $1 AND status NOT IN ('resolved', 'closed') RETURNING id`,
    [fromStaffId, toStaffId, at],
  )
}

/**
 * The rest of a departure: the leaver's team and the conversations they had taken over go to the
 * successor, and the record becomes inactive (their tokens stop working with it). Returns the team size.
 */
export async function retireStaff(db: Db, staffId: number, successorId: number): Promise<number> {
  const team = await queryRows<{ id: number }>(
    db,
    `UPDATE ambassador SET supervisor_id = $2 WHERE supervisor_id = $1 AND active AND id <> $2 RETURNING id`,
    [staffId, successorId],
  )
  await db.query(`UPDATE conversation SET handed_off_to = $2 WHERE handed_off_to = $1`, [
    staffId,
    successorId,
  ])
  await db.query(`UPDATE ambassador SET active = false WHERE id = $1`, [staffId])
  return team.length
}

/** Who takes the project's emergencies: its on-duty staff member if active, else null. */
export async function onDutyStaffOf(db: Db, projectId: number): Promise<{ id: number; name: string } | null> {
  const [row] = await queryRows<{ id: number; name: string }>(
    db,
    `SELECT a.id, a.name FROM project p JOIN ambassador a ON a.id = p.on_duty_staff_id AND a.active WHERE p.id = $1`,
    [projectId],
  )
  return row ?? null
}

export interface BranchRecord {
  id: number
  name: string
  projects: number
  /** The branch's active head, if one is set up (a branch head on one of its projects). */
  head: { id: number; name: string } | null
}

/** Branches in scope: the group sees all, a branch head their own. */
export function listBranches(db: Db, scope: StaffScope): Promise<BranchRecord[]> {
  return queryRows<BranchRecord>(
    db,
    `SELECT b.id, b.name,
            (SELECT count(*)::int FROM project p WHERE p.branch = b.name) AS projects,
            (SELECT json_build_object('id', a.id, 'name', a.name) FROM ambassador a JOIN project p ON p.id = a.project_id
              WHERE p.branch = b.name AND a.role = 'branch_head' AND a.active ORDER BY a.id LIMIT 1) AS head
       FROM branch b
      WHERE $1::text = 'all' OR ($1::text = 'branch' AND b.name = $2::text)
      ORDER BY b.name`,
    [scope.kind, scope.kind === 'branch' ? scope.branch : null],
  )
}

export async function branchExists(db: Db, name: string): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM branch WHERE name = $1`, [name])).length > 0
}

/** A new branch; null when the name is taken. */
export async function insertBranch(db: Db, name: string): Promise<number | null> {
  const [row] = await queryRows<{ id: number }>(
    db,
    `INSERT INTO branch (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id`,
    [name],
  )
  return row?.id ?? null
}

/** Renames a branch (its projects follow by the foreign key); 'taken' when another branch has the name. */
export async function renameBranch(
  db: Db,
  id: number,
  name: string,
): Promise<'renamed' | 'missing' | 'taken'> {
  const [row] = await queryRows<{ id: number; taken: boolean }>(
    db,
    `SELECT b.id, EXISTS (SELECT 1 FROM branch o WHERE o.name = $2 AND o.id <> b.id) AS taken
       FROM branch b WHERE b.id = $1 FOR UPDATE`,
    [id, name],
  )
  if (!row) return 'missing'
  if (row.taken) return 'taken'
  await db.query(`UPDATE branch SET name = $2 WHERE id = $1`, [id, name])
  return 'renamed'
}

export interface RepairTeamRecord {
  id: number
  projectId: number
  name: string
  active: boolean
  repairCapacity: RepairCapacity | null
  technicians: { id: number; name: string; phone: string; active: boolean }[]
}

const TEAM_COLUMNS = `t.id, t.project_id AS "projectId", t.name, t.active, t.repair_capacity AS "repairCapacity",
  coalesce((SELECT json_agg(json_build_object('id', x.id, 'name', x.name, 'phone', x.phone, 'active', x.active)
                   ORDER BY x.id) FROM technician x WHERE x.team_id = t.id), '[]') AS technicians`

export function listRepairTeams(db: Db, projectId: number): Promise<RepairTeamRecord[]> {
  return queryRows<RepairTeamRecord>(
    db,
    `SELECT ${TEAM_COLUMNS} FROM repair_team t WHERE t.project_id = $1 ORDER BY t.name`,
    [projectId],
  )
}

export async function repairTeamById(db: Db, id: number): Promise<RepairTeamRecord | null> {
  const [row] = await queryRows<RepairTeamRecord>(
    db,
    `SELECT ${TEAM_COLUMNS} FROM repair_team t WHERE t.id = $1`,
    [id],
  )
  return row ?? null
}

/** A new team of a project; null when the project has one of that name. */
export async function insertRepairTeam(db: Db, projectId: number, name: string): Promise<number | null> {
  const [row] = await queryRows<{ id: number }>(
    db,
    `INSERT INTO repair_team (project_id, name) VALUES ($1, $2) ON CONFLICT (project_id, name) DO NOTHING RETURNING id`,
    [projectId, name],
  )
  return row?.id ?? null
}

export async function setTeamCapacity(db: Db, teamId: number, template: RepairCapacity): Promise<void> {
  await db.query(`UPDATE repair_team SET repair_capacity = $2 WHERE id = $1`, [
    teamId,
    JSON.stringify(template),
  ])
}

export async function insertTechnician(
  db: Db,
  teamId: number,
  technician: { name: string; phone: string },
): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    db,
    `INSERT INTO technician (team_id, name, phone) VALUES ($1, $2, $3) RETURNING id`,
    [teamId, technician.name, technician.phone],
  )
  return row.id
}

/**
 * An active technician of one of the project's active teams, by id or by name; null for none, and for a
 * name two of them share (staff then pick by id in the console).
 */
export async function technicianOfProject(
  db: Db,
  projectId: number,
  by: { id: number } | { name: string },
): Promise<{ id: number; name: string; phone: string; team: string } | null> {
  const rows = await queryRows<{ id: number; name: string; phone: string; team: string }>(
    db,
    `SELECT x.id, x.name, x.phone, t.name AS team FROM technician x JOIN repair_team t ON t.id = x.team_id
      WHERE ${'id' in by ? 'x.id = $2' : 'x.name = $2'} AND t.project_id = $1 AND x.active AND t.active LIMIT 2`,
    [projectId, 'id' in by ? by.id : by.name],
  )
  return rows.length === 1 ? rows[0] : null
}

/** Renames or retires a team (its slots stay; a retired team opens no more). False when the name is taken. */
export async function updateRepairTeam(
  db: Db,
  id: number,
  change: { name?: string; active?: boolean },
): Promise<boolean> {
  const rows = await queryRows<{ id: number }>(
    db,
    `UPDATE repair_team t SET name = COALESCE($2, t.name), active = COALESCE($3, t.active)
      WHERE t.id = $1 AND NOT EXISTS (
        SELECT 1 FROM repair_team o WHERE o.project_id = t.project_id AND o.name = $2 AND o.id <> t.id)
      RETURNING t.id`,
    [id, change.name ?? null, change.active ?? null],
  )
  return rows.length > 0
}

/** A technician with the project of their team, for the scope check. */
export async function technicianById(
  db: Db,
  id: number,
): Promise<{ id: number; teamId: number; projectId: number } | null> {
  const [row] = await queryRows<{ id: number; teamId: number; projectId: number }>(
    db,
    `SELECT x.id, x.team_id AS "teamId", t.project_id AS "projectId"
       FROM technician x JOIN repair_team t ON t.id = x.team_id WHERE x.id = $1`,
    [id],
  )
  return row ?? null
}

export async function updateTechnician(
  db: Db,
  id: number,
  change: { name?: string; phone?: string; active?: boolean },
): Promise<void> {
  await db.query(
    `UPDATE technician SET name = COALESCE($2, name), phone = COALESCE($3, phone), active = COALESCE($4, active)
      WHERE id = $1`,
    [id, change.name ?? null, change.phone ?? null, change.active ?? null],
  )
}
