import type { EntityManager } from 'typeorm'
import type { CaseStatus } from '../domain/case'
import { slaStateSql, type SlaState } from '../domain/sla-state'
import { queryRows } from './sql'
import { UNIT_LABEL_SQL } from './unit-label'

export interface CaseFilter {
  projectId?: number
  kind?: string
  status?: string[]
  ambassadorId?: number
  /** Only cases nobody holds yet (logged by staff without an ambassador, or a household without one). */
  unassigned?: boolean
  /** Only cases of projects of this branch (a branch head's view). */
  branch?: string | null
  sla?: SlaState
  from?: Date
  to?: Date
  limit: number
  cursor?: string
  /** The instant the SLA states are judged at. */
  now: Date
}

export interface CaseListItem {
  caseNo: string
  kind: string
  category: string
  status: string
  projectId: number
  ownerName: string | null
  ambassadorId: number | null
  ambassadorName: string | null
  createdAt: Date
  replyDueAt: Date | null
  slaState: SlaState | null
  escalationLevel: number
}

/** Keyset pagination: the last row's (created_at, id), opaque to clients. */
export const encodeCursor = (createdAt: Date, id: number) =>
  Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url')

export function decodeCursor(cursor: string): [string, number] | null {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, number]
    const time = typeof at === 'string' ? Date.parse(at) : Number.NaN
    const sane = time >= Date.UTC(2000, 0, 1) && time < Date.UTC(2200, 0, 1)
    return sane && Number.isInteger(id) && id > 0 && id <= 2_147_483_647 ? [at, id] : null
  } catch {
    return null
  }
}

/** The staff case list: filters on indexed columns, newest first, keyset-paginated (no OFFSET). */
export async function listCases(
  manager: Pick<EntityManager, 'query'>,
  filter: CaseFilter,
): Promise<{ items: CaseListItem[]; nextCursor: string | null }> {
  const where: string[] = []
  const params: unknown[] = [filter.now]
  const add = (sql: string, value: unknown) => {
    params.push(value)
    where.push(sql.replace('?', `$${params.length}`))
  }
  if (filter.projectId !== undefined) add('c.project_id = ?', filter.projectId)
  if (filter.kind) add('c.kind = ?', filter.kind)
  if (filter.status?.length) add('c.status = ANY(?)', filter.status)
  if (filter.ambassadorId !== undefined) add('c.ambassador_id = ?', filter.ambassadorId)
  if (filter.unassigned) where.push('c.ambassador_id IS NULL')
  if (filter.branch !== undefined)
    add('c.project_id IN (SELECT id FROM project WHERE branch = ?)', filter.branch)
  if (filter.from) add('c.created_at >= ?', filter.from)
  if (filter.to) add('c.created_at < ?', filter.to)
  if (filter.sla) add(`(${slaStateSql(1)}) = ?`, filter.sla)
  const after = filter.cursor ? decodeCursor(filter.cursor) : null
  if (after) {
    params.push(after[0], after[1])
    where.push(`(c.created_at, c.id) < ($${params.length - 1}::timestamptz, $${params.length})`)
  }
  params.push(filter.limit + 1)
  const rows: (CaseListItem & { id: number })[] = await manager.query(
    `SELECT c.id, c.case_no AS "caseNo", c.kind, c.category, c.status, c.project_id AS "projectId",
            o.name AS "ownerName", c.ambassador_id AS "ambassadorId", a.name AS "ambassadorName",
            c.created_at AS "createdAt", c.reply_due_at AS "replyDueAt", ${slaStateSql(1)} AS "slaState",
            c.escalation_level AS "escalationLevel"
       FROM service_case c
       LEFT JOIN owner o ON o.id = c.owner_id
       LEFT JOIN ambassador a ON a.id = c.ambassador_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY c.created_at DESC, c.id DESC
      LIMIT $${params.length}`,
    params,
  )
  const page = rows.slice(0, filter.limit)
  const last = page.at(-1)
  return {
    items: page.map(({ id: _id, ...item }) => item),
    nextCursor: rows.length > filter.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  }
}

export interface CaseRecord {
  id: number
  project_id: number
  case_no: string
  kind: 'complaint' | 'repair' | 'alert'
  category: string
  status: CaseStatus
  owner_id: number | null
  household_id: number | null
  ambassador_id: number | null
}

export async function findCase(
  manager: Pick<EntityManager, 'query'>,
  caseNo: string,
  lock = false,
): Promise<CaseRecord | null> {
  const rows = await queryRows<CaseRecord>(
    manager,
    `SELECT id, project_id, case_no, kind, category, status, owner_id, household_id, ambassador_id FROM service_case
      WHERE case_no = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [caseNo],
  )
  return rows[0] ?? null
}

export async function caseDetail(manager: Pick<EntityManager, 'query'>, caseId: number, now: Date) {
  const [detail] = await manager.query(
    `SELECT c.case_no AS "caseNo", c.kind, c.category, c.status, c.description, c.attachments, c.details,
            c.public_area AS "publicArea", c.intake_channel AS "intakeChannel", c.escalation_level AS "escalationLevel",
            c.created_at AS "createdAt", c.updated_at AS "updatedAt", c.closed_at AS "closedAt",
            c.reply_due_at AS "replyDueAt", ${slaStateSql(2)} AS "slaState",
            o.name AS "ownerName", h.code AS "householdCode", a.name AS "ambassadorName", k.name AS "contractorName",
            (SELECT ${UNIT_LABEL_SQL} FROM unit u JOIN building b ON b.id = u.building_id
               JOIN project p ON p.id = b.project_id WHERE u.id = c.unit_id) AS unit
       FROM service_case c
       LEFT JOIN owner o ON o.id = c.owner_id LEFT JOIN household h ON h.id = c.household_id
       LEFT JOIN ambassador a ON a.id = c.ambassador_id LEFT JOIN contractor k ON k.id = c.contractor_id
      WHERE c.id = $1`,
    [caseId, now],
  )
  const events = await manager.query(
    `SELECT at, actor, kind, data FROM case_event WHERE case_id = $1 ORDER BY id`,
    [caseId],
  )
  return { ...detail, events }
}

/** A registered contractor's id by name, or null. */
export async function contractorId(db: Pick<EntityManager, 'query'>, name: string): Promise<number | null> {
  const [row] = await db.query(`SELECT id FROM contractor WHERE name = $1`, [name])
  return row?.id ?? null
}

export async function setCaseContractor(
  db: Pick<EntityManager, 'query'>,
  caseId: number,
  contractor: number,
): Promise<void> {
  await db.query(`UPDATE service_case SET contractor_id = $2 WHERE id = $1`, [caseId, contractor])
}

export async function createContractor(
  db: Pick<EntityManager, 'query'>,
  contractor: { name: string; contractValue: number },
): Promise<{ id: number; name: string }> {
  const [row] = await db.query(
    `INSERT INTO contractor (name, contract_value) VALUES ($1, $2) RETURNING id, name`,
    [contractor.name, contractor.contractValue],
  )
  return row
}

/** A case as a timer handler needs it, locked. */
export interface TimerCaseRow {
  id: number
  case_no: string
  kind: string
  category: string
  status: string
  project_id: number
  owner_id: number | null
  household_id: number | null
  ambassador_id: number | null
  ambassador_name: string | null
  escalation_level: number
  reply_due_at: Date | null
  sla_paused_at: Date | null
  cancelled: boolean
}

export async function lockCaseForTimer(
  manager: Pick<EntityManager, 'query'>,
  caseId: number,
): Promise<TimerCaseRow | null> {
  const rows = await queryRows<TimerCaseRow>(
    manager,
    `SELECT c.id, c.case_no, c.kind, c.category, c.status, c.project_id, c.owner_id, c.household_id,
            c.ambassador_id, a.name AS ambassador_name, c.escalation_level, c.reply_due_at, c.sla_paused_at,
            COALESCE((c.details->>'cancelledByOwner')::boolean, false) AS cancelled
       FROM service_case c LEFT JOIN ambassador a ON a.id = c.ambassador_id
      WHERE c.id = $1 FOR UPDATE OF c`,
    [caseId],
  )
  return rows[0] ?? null
}

/** A staff member's open cases, soonest deadline first. */
export function openCasesOf(db: Pick<EntityManager, 'query'>, staffId: number) {
  return db.query(
    `SELECT c.case_no, c.kind, c.category, c.status, o.name AS owner, c.reply_due_at, c.reply_met_at, c.sla_paused_at
       FROM service_case c LEFT JOIN owner o ON o.id = c.owner_id
      WHERE c.ambassador_id = $1 AND c.status NOT IN ('resolved', 'closed')
      ORDER BY c.reply_due_at NULLS LAST, c.id LIMIT 30`,
    [staffId],
  ) as Promise<
    {
      case_no: string
      kind: string
      category: string
      status: CaseStatus
      owner: string | null
      reply_due_at: Date | null
      reply_met_at: Date | null
      sla_paused_at: Date | null
    }[]
  >
}

/**
 * The group-complaint count: distinct households complaining about one category of one project since
 * an instant, and whether an alert for it is already open. Serialised per project and category, so that
 * complaints filed at the same moment raise one alert.
 */
export async function complaintCluster(
  db: Pick<EntityManager, 'query'>,
  projectId: number,
  category: string,
  since: Date,
): Promise<{ households: number; alertOpen: boolean }> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('group-warning:' || $1::text || ':' || $2::text))`, [
    projectId,
    category,
  ])
  const [row] = await db.query(
    `SELECT (SELECT count(DISTINCT household_id)::int FROM service_case
              WHERE kind = 'complaint' AND project_id = $1 AND category = $2 AND created_at > $3) AS households,
            EXISTS (SELECT 1 FROM service_case WHERE kind = 'alert' AND project_id = $1 AND category = $2
                       AND status NOT IN ('resolved', 'closed') AND created_at > $3) AS "alertOpen"`,
    [projectId, category, since],
  )
  return row
}

/** Callback surveys an owner's household still owes: unanswered rounds, or finished cases never asked. */
export function pendingSurveysOf(db: Pick<EntityManager, 'query'>, householdId: number) {
  return db.query(
    `SELECT c.case_no, COALESCE(s.round, 1) AS round, c.kind, c.category
       FROM service_case c
       LEFT JOIN survey s ON s.case_id = c.id AND s.answered_at IS NULL
      WHERE c.household_id = $1 AND c.status IN ('resolved', 'closed')
        AND NOT COALESCE((c.details->>'cancelledByOwner')::boolean, false)
        AND (s.id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM survey a WHERE a.case_id = c.id))
      ORDER BY c.closed_at DESC NULLS LAST, c.id DESC LIMIT 10`,
    [householdId],
  ) as Promise<{ case_no: string; round: number; kind: string; category: string }[]>
}

export interface HouseholdCaseRow {
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

/** The household's latest cases. */
export function householdCases(
  db: Pick<EntityManager, 'query'>,
  householdId: number,
  limit: number,
): Promise<HouseholdCaseRow[]> {
  return db.query(
    `SELECT ${CASE_COLUMNS} FROM service_case c WHERE c.household_id = $1
      ORDER BY c.created_at DESC, c.id DESC LIMIT $2`,
    [householdId, limit],
  )
}

/** One of the household's cases by its number (locked when asked); null for another household's. */
export async function householdCase(
  db: Pick<EntityManager, 'query'>,
  householdId: number,
  caseNo: string,
  lock: boolean,
): Promise<HouseholdCaseRow | null> {
  const rows = await queryRows<HouseholdCaseRow>(
    db,
    `SELECT ${CASE_COLUMNS} FROM service_case c WHERE c.case_no = $1 AND c.household_id = $2
     ${lock ? 'FOR UPDATE OF c' : ''}`,
    [caseNo, householdId],
  )
  return rows[0] ?? null
}

/** The case's history of the kinds given, oldest first. */
export function caseEventsOfKinds(
  db: Pick<EntityManager, 'query'>,
  caseId: number,
  kinds: string[],
): Promise<{ at: Date; kind: string }[]> {
  return db.query(`SELECT at, kind FROM case_event WHERE case_id = $1 AND kind = ANY($2) ORDER BY id`, [
    caseId,
    kinds,
  ])
}

/** What a case notification needs to know of the case. */
export interface CaseFacts {
  case_no: string
  kind: string
  category: string
  project_id: number
  owner_id: number | null
  owner_name: string | null
  ambassador_id: number | null
  ambassador_name: string | null
}

/**
 * Appends a case event and reads, in the same statement, what its notifications name (the case as it
 * is before the event: the append does not change it). One round trip instead of two for every event
 * that tells someone.
 */
export async function appendCaseEventReadingFacts(
  db: Pick<EntityManager, 'query'>,
  event: { caseId: number; actor: string; kind: string; data: Record<string, unknown>; at: Date },
): Promise<CaseFacts | null> {
  const [c] = await db.query(
    `WITH appended AS (
       INSERT INTO case_event (case_id, actor, kind, data, at) VALUES ($1, $2, $3, $4, $5))
     SELECT c.case_no, c.kind, c.category, c.project_id, c.owner_id, o.name AS owner_name,
            c.ambassador_id, a.name AS ambassador_name
       FROM service_case c LEFT JOIN owner o ON o.id = c.owner_id LEFT JOIN ambassador a ON a.id = c.ambassador_id
      WHERE c.id = $1`,
    [event.caseId, event.actor, event.kind, JSON.stringify(event.data), event.at],
  )
  return (c ?? null) as CaseFacts | null
}

/** A case as a staff command acts on it, locked. */
export function lockCaseByNumber<T>(db: Pick<EntityManager, 'query'>, caseNo: string): Promise<T[]> {
  return queryRows<T>(
    db,
    `SELECT id, case_no, kind, category, status, owner_id, ambassador_id, project_id FROM service_case
      WHERE case_no = $1 FOR UPDATE`,
    [caseNo],
  )
}

/** Open cases with a running clock whose deadline is still ahead and whose span covers a day ending at `dayEnds`. */
export function runningCasesOver(db: Pick<EntityManager, 'query'>, now: Date, dayEnds: Date) {
  return queryRows<{ id: number; reply_due_at: Date; sla_mode: 'workday' | 'business' | 'calendar' }>(
    db,
    `SELECT id, reply_due_at, sla_mode FROM service_case
      WHERE status NOT IN ('resolved', 'closed') AND reply_due_at IS NOT NULL AND reply_met_at IS NULL
        AND sla_paused_at IS NULL AND sla_mode IN ('workday', 'business')
        AND reply_due_at > $1 AND $2::timestamptz > $1
      ORDER BY id FOR UPDATE`,
    [now, dayEnds],
  )
}

/** The case's escalation level, the row locked for a change of it. */
export async function lockedEscalationLevel(
  manager: Pick<EntityManager, 'query'>,
  caseId: number,
): Promise<number> {
  const [row] = await manager.query(`SELECT escalation_level FROM service_case WHERE id = $1 FOR UPDATE`, [
    caseId,
  ])
  return Number(row.escalation_level)
}
