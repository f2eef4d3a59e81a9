import type { EntityManager } from 'typeorm'
import { PROJECT_IN_SCOPE, scopeParams, type StaffScope } from './access'
import { queryRows } from './sql'

type Db = Pick<EntityManager, 'query'>

export interface CannedReply {
  id: number
  projectId: number | null
  projectName: string | null
  title: string
  body: string
}

const COLUMNS = `r.id, r.project_id AS "projectId", p.name AS "projectName", r.title, r.body`

/** Live canned replies the scope may use: group-wide ones and its projects', optionally for one project. */
export function listCannedReplies(
  db: Db,
  filter: { scope: StaffScope; projectId?: number },
): Promise<CannedReply[]> {
  return queryRows<CannedReply>(
    db,
    `SELECT ${COLUMNS} FROM canned_reply r LEFT JOIN project p ON p.id = r.project_id
      WHERE r.retired_at IS NULL
        AND (r.project_id IS NULL OR ${PROJECT_IN_SCOPE('r.project_id', 1)})
        AND ($4::int IS NULL OR r.project_id IS NULL OR r.project_id = $4)
      ORDER BY r.project_id NULLS FIRST, r.title, r.id`,
    [...scopeParams(filter.scope), filter.projectId ?? null],
  )
}

export async function cannedReplyById(db: Db, id: number): Promise<CannedReply | null> {
  const [row] = await queryRows<CannedReply>(
    db,
    `SELECT ${COLUMNS} FROM canned_reply r LEFT JOIN project p ON p.id = r.project_id
      WHERE r.id = $1 AND r.retired_at IS NULL`,
    [id],
  )
  return row ?? null
}

export async function insertCannedReply(
  db: Db,
  reply: { projectId: number | null; title: string; body: string; createdBy: string; at: Date },
): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    db,
    `INSERT INTO canned_reply (project_id, title, body, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [reply.projectId, reply.title, reply.body, reply.createdBy, reply.at],
  )
  return row.id
}

export async function retireCannedReply(db: Db, id: number, at: Date): Promise<void> {
  await db.query(`UPDATE canned_reply SET retired_at = $2 WHERE id = $1 AND retired_at IS NULL`, [id, at])
}

/** What a canned reply's placeholders become in one conversation: its owner's household's values. */
export async function conversationPlaceholderValues(
  db: Db,
  conversationId: number,
): Promise<PlaceholderValues> {
  const [owner] = await queryRows<{ name: string; householdId: number }>(
    db,
    `SELECT o.name, o.household_id AS "householdId" FROM conversation c JOIN owner o ON o.id = c.owner_id
      WHERE c.id = $1`,
    [conversationId],
  )
  return owner
    ? householdPlaceholderValues(db, owner.householdId, owner.name)
    : { owner: null, ambassador: null, ambassadorPhone: null, project: null, projectId: null }
}

/** The values a canned reply's placeholders take for one owner, and the project they belong to. */
export interface PlaceholderValues {
  owner: string | null
  ambassador: string | null
  ambassadorPhone: string | null
  project: string | null
  projectId: number | null
}

/** The placeholders' values for a household's owner: its ambassador and its (first unit's) project. */
export async function householdPlaceholderValues(
  db: Db,
  householdId: number,
  ownerName: string,
): Promise<PlaceholderValues> {
  const [row] = await queryRows<Omit<PlaceholderValues, 'owner'>>(
    db,
    `SELECT a.name AS ambassador, a.phone AS "ambassadorPhone", p.name AS project, p.id AS "projectId"
       FROM household h
       LEFT JOIN ambassador_assignment aa ON aa.household_id = h.id AND aa.ended_at IS NULL
       LEFT JOIN ambassador a ON a.id = aa.ambassador_id
       LEFT JOIN LATERAL (
         SELECT pr.id, pr.name FROM household_unit hu JOIN unit u ON u.id = hu.unit_id
           JOIN building b ON b.id = u.building_id JOIN project pr ON pr.id = b.project_id
          WHERE hu.household_id = h.id ORDER BY u.id LIMIT 1) p ON true
      WHERE h.id = $1`,
    [householdId],
  )
  return {
    owner: ownerName,
    ...(row ?? { ambassador: null, ambassadorPhone: null, project: null, projectId: null }),
  }
}
