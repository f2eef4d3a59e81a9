import type { EntityManager } from 'typeorm'
import { HOUSEHOLD_IN_SCOPE, scopeParams, type StaffScope } from './access'
import { UNIT_LABEL_SQL } from './unit-label'
import { slaStateSql } from '../domain/sla-state'

type Db = Pick<EntityManager, 'query'>

/** How many searches by phone number a staff member (audit actor) made in the last ten minutes. */
export async function recentPhoneSearches(db: Db, actor: string): Promise<number> {
  const [{ n }] = await db.query(
    `SELECT count(*)::int AS n FROM audit_log
      WHERE actor = $1 AND action = 'customer_file.search' AND details->>'byPhone' = 'true'
        AND at > now() - interval '10 minutes'`,
    [actor],
  )
  return n
}

export interface HouseholdHit {
  id: number
  code: string
  stage: string
  owners: { name: string; phoneEnc: string }[]
  ambassador_id: number | null
}

/**
 * Households in the scope whose code, owner name or room contains the words, or (only when `phone` is
 * given) whose owner has exactly that phone number.
 */
export function searchHouseholds(
  db: Db,
  search: { words: string; phone: string | null; limit: number; scope: StaffScope },
): Promise<HouseholdHit[]> {
  return db.query(
    `SELECT h.id, h.code, h.stage,
            (SELECT json_agg(json_build_object('name', o.name, 'phoneEnc', o.phone_enc) ORDER BY o.id)
               FROM owner o WHERE o.household_id = h.id) AS owners,
            aa.ambassador_id
       FROM household h
       LEFT JOIN ambassador_assignment aa ON aa.household_id = h.id AND aa.ended_at IS NULL
      WHERE ${HOUSEHOLD_IN_SCOPE('h.id', 3)}
        AND (h.code ILIKE '%' || $1 || '%'
             OR EXISTS (SELECT 1 FROM owner o WHERE o.household_id = h.id
                         AND (o.name LIKE '%' || $1 || '%' OR ($6::text IS NOT NULL AND o.phone_key = $6)))
             OR EXISTS (SELECT 1 FROM household_unit hu JOIN unit u ON u.id = hu.unit_id
                         WHERE hu.household_id = h.id AND u.room_no = $1))
      ORDER BY h.id LIMIT $2`,
    [
      search.words.replace(/[%_\\]/g, (c) => `\\${c}`),
      search.limit,
      ...scopeParams(search.scope),
      search.phone,
    ],
  )
}

export async function householdHeader(db: Db, id: number) {
  const [household] = await db.query(
    `SELECT h.id, h.code, h.stage, h.customer_class AS "customerClass", h.purchased_on AS "purchasedOn", h.profile,
            (SELECT ambassador_id FROM ambassador_assignment WHERE household_id = h.id AND ended_at IS NULL) AS "ambassadorId"
       FROM household h WHERE h.id = $1`,
    [id],
  )
  return household as
    | { id: number; code: string; stage: string; ambassadorId: number | null; [field: string]: unknown }
    | undefined
}

/** The rest of one household file (一户一档): people, units, ambassador history, cases, letters, surveys. */
export async function householdFile(db: Db, id: number) {
  const q = (sql: string) => db.query(sql, [id])
  const [owners, units, assignments, cases, letters, surveys] = await Promise.all([
    q(`SELECT id, name, phone_enc AS "phoneEnc", relation, ended_at AS "endedAt", ended_reason AS "endedReason"
         FROM owner WHERE household_id = $1 ORDER BY ended_at NULLS FIRST, id`) as Promise<
      {
        id: number
        name: string
        phoneEnc: string
        relation: string
        endedAt: Date | null
        endedReason: string | null
      }[]
    >,
    q(`SELECT u.id, p.name AS project, b.name AS building, u.room_no AS room, u.delivered_on::text AS "deliveredOn"
         FROM household_unit hu JOIN unit u ON u.id = hu.unit_id JOIN building b ON b.id = u.building_id
         JOIN project p ON p.id = b.project_id WHERE hu.household_id = $1 ORDER BY 2, 3, 4`),
    q(`SELECT a.name, aa.assigned_at AS "assignedAt", aa.ended_at AS "endedAt", aa.reason
         FROM ambassador_assignment aa JOIN ambassador a ON a.id = aa.ambassador_id WHERE aa.household_id = $1 ORDER BY aa.id`),
    q(`SELECT case_no AS "caseNo", kind, category, status, created_at AS "createdAt" FROM service_case
        WHERE household_id = $1 ORDER BY created_at DESC`),
    q(`SELECT l.title, d.status, d.delivered_at AS "deliveredAt", d.read_at AS "readAt"
         FROM letter_delivery d JOIN letter l ON l.id = d.letter_id JOIN owner o ON o.id = d.owner_id
        WHERE o.household_id = $1 ORDER BY d.id DESC`),
    q(`SELECT c.case_no AS "caseNo", s.round, s.score, s.comment, s.answered_at AS "answeredAt"
         FROM survey s JOIN service_case c ON c.id = s.case_id WHERE c.household_id = $1 ORDER BY s.id DESC`),
  ])
  return { owners, units, assignments, cases, letters, surveys }
}

export async function householdExists(db: Db, id: number): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM household WHERE id = $1`, [id])).length > 0
}

/** A household's units as owners are shown them, with delivery dates. */
export function unitsOfHousehold(
  db: Db,
  householdId: number,
): Promise<{ unit_id: number; project_id: number; label: string; delivered_on: string | null }[]> {
  return db.query(
    `SELECT u.id AS unit_id, p.id AS project_id, ${UNIT_LABEL_SQL} AS label, u.delivered_on::text AS delivered_on
       FROM household_unit hu
       JOIN unit u ON u.id = hu.unit_id
       JOIN building b ON b.id = u.building_id
       JOIN project p ON p.id = b.project_id
      WHERE hu.household_id = $1
      ORDER BY p.name, b.name, u.room_no`,
    [householdId],
  )
}

/** The owner behind a WeCom external contact (微信客服 or 客户联系), with their household and ambassador. */
export async function ownerOfContact(db: Db, externalUserId: string) {
  const [owner] = await db.query(
    `SELECT o.id, o.name, o.phone_enc, o.relation, o.household_id, h.code, h.stage,
            (SELECT ambassador_id FROM ambassador_assignment
              WHERE household_id = o.household_id AND ended_at IS NULL) AS ambassador_id
       FROM channel_identity ci JOIN owner o ON o.id = ci.owner_id JOIN household h ON h.id = o.household_id
      WHERE (ci.channel = 'wecom-kf' AND split_part(ci.external_id, '|', 2) = $1)
         OR (ci.channel = 'wecom-contact' AND ci.external_id = $1)
      LIMIT 1`,
    [externalUserId],
  )
  return (owner ?? null) as {
    id: number
    name: string
    phone_enc: string
    relation: string
    household_id: number
    code: string
    stage: string
    ambassador_id: number | null
  } | null
}

export function labelledUnits(
  db: Db,
  householdId: number,
): Promise<{ label: string; delivered_on: string | null }[]> {
  return db.query(
    `SELECT ${UNIT_LABEL_SQL} AS label, u.delivered_on::text AS delivered_on
       FROM household_unit hu JOIN unit u ON u.id = hu.unit_id JOIN building b ON b.id = u.building_id
       JOIN project p ON p.id = b.project_id WHERE hu.household_id = $1 ORDER BY label`,
    [householdId],
  )
}

/** The household's open cases, soonest deadline first, with whether each is breached at `now`. */
export function openCasesOfHousehold(
  db: Db,
  householdId: number,
  now: Date,
): Promise<
  {
    case_no: string
    kind: string
    category: string
    status: string
    reply_due_at: Date | null
    sla_paused_at: Date | null
    overdue: boolean
    attachments: string[]
  }[]
> {
  return db.query(
    `SELECT case_no, kind, category, status, reply_due_at, sla_paused_at, attachments,
            COALESCE((${slaStateSql(2, 'service_case')}) = 'breached', false) AS overdue
       FROM service_case WHERE household_id = $1 AND status NOT IN ('resolved', 'closed')
      ORDER BY reply_due_at NULLS LAST, id`,
    [householdId, now],
  )
}

export function recentSurveyAnswers(
  db: Db,
  householdId: number,
): Promise<{ case_no: string; score: number; comment: string | null }[]> {
  return db.query(
    `SELECT c.case_no, s.score, s.comment FROM survey s JOIN service_case c ON c.id = s.case_id
      WHERE c.household_id = $1 AND s.answered_at IS NOT NULL ORDER BY s.answered_at DESC LIMIT 5`,
    [householdId],
  )
}

/** The project of a household's units (the first), or null for no such household. */
export async function householdProject(db: Db, householdId: number): Promise<number | null> {
  const [row] = await db.query(
    `SELECT b.project_id FROM household h
       LEFT JOIN household_unit hu ON hu.household_id = h.id
       LEFT JOIN unit u ON u.id = hu.unit_id LEFT JOIN building b ON b.id = u.building_id
      WHERE h.id = $1 ORDER BY u.id LIMIT 1`,
    [householdId],
  )
  return row ? (row.project_id ?? null) : null
}
