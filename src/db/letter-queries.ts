import type { EntityManager } from 'typeorm'
import { queryRows } from './sql'

type Db = Pick<EntityManager, 'query'>

/** The project a letter is for, or null when there is no such letter. */
export async function letterProject(db: Db, letterId: number): Promise<number | null> {
  const [letter] = await db.query(`SELECT project_id FROM letter WHERE id = $1`, [letterId])
  return letter?.project_id ?? null
}

/** How many of the buildings and units named lie outside the project (a letter to them reaches nobody). */
export async function audienceOutsideProject(
  db: Db,
  projectId: number,
  buildingIds: number[],
  unitIds: number[],
): Promise<number> {
  const [{ foreign }] = await db.query(
    `SELECT (SELECT count(*) FROM unnest($2::int[]) b(id)
              WHERE NOT EXISTS (SELECT 1 FROM building WHERE id = b.id AND project_id = $1))
          + (SELECT count(*) FROM unnest($3::int[]) u(id)
              WHERE NOT EXISTS (SELECT 1 FROM unit JOIN building ON building.id = unit.building_id
                                 WHERE unit.id = u.id AND building.project_id = $1)) AS foreign`,
    [projectId, buildingIds, unitIds],
  )
  return Number(foreign)
}

/** One letter's per-recipient delivery records, by id (keyset). */
export function letterDeliveries(
  db: Db,
  page: { letterId: number; after: number; status: string | null; limit: number },
): Promise<{ id: number }[]> {
  return db.query(
    `SELECT d.id, o.name AS owner, d.channel, d.status, d.hold_reason AS "holdReason", d.queued_at AS "queuedAt",
            d.delivered_at AS "deliveredAt", d.read_at AS "readAt", d.response
       FROM letter_delivery d JOIN owner o ON o.id = d.owner_id
      WHERE d.letter_id = $1 AND d.id > $2 AND ($3::text IS NULL OR d.status = $3)
      ORDER BY d.id LIMIT $4`,
    [page.letterId, page.after, page.status, page.limit],
  )
}

/**
 * Outbox messages not delivered yet, by id (keyset). Each half matches a partial index: the outbox also
 * keeps every message ever sent, which a scan in id order would wade through.
 */
export function waitingMessages(
  db: Db,
  page: { after: number; status: string | null; channel: string | null; limit: number },
): Promise<{ id: number }[]> {
  const half = (statuses: string) =>
    `(SELECT * FROM outbox WHERE status IN (${statuses}) AND id > $1
        AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR channel = $3)
      ORDER BY id LIMIT $4)`
  return db.query(
    `SELECT id::int, channel, recipient, status, hold_reason AS "holdReason", attempts, last_error AS "lastError",
            next_attempt_at AS "nextAttemptAt", created_at AS "createdAt", letter_delivery_id AS "letterDeliveryId"
       FROM (${half(`'pending', 'sending', 'held'`)} UNION ALL ${half(`'dead'`)}) waiting
      ORDER BY id LIMIT $4`,
    [page.after, page.status, page.channel, page.limit],
  )
}

/** Stores a draft letter; returns its id. */
export async function insertLetter(
  db: Db,
  letter: {
    kind: string
    projectId: number
    title: string
    body: string
    audience: object
    createdBy: string
  },
): Promise<number> {
  const [row] = await db.query(
    `INSERT INTO letter (kind, project_id, title, body, audience, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [
      letter.kind,
      letter.projectId,
      letter.title,
      letter.body,
      JSON.stringify(letter.audience),
      letter.createdBy,
    ],
  )
  return row.id
}

/** The letter, locked (publishing happens once). */
export async function lockLetter(
  db: Db,
  letterId: number,
): Promise<{ title: string; body: string; kind: string; published_at: Date | null } | null> {
  const [letter] = await queryRows<{ title: string; body: string; kind: string; published_at: Date | null }>(
    db,
    `SELECT title, body, kind, published_at FROM letter WHERE id = $1 FOR UPDATE`,
    [letterId],
  )
  return letter ?? null
}

export async function markLetterPublished(db: Db, letterId: number, at: Date): Promise<void> {
  await db.query(`UPDATE letter SET published_at = $2 WHERE id = $1`, [letterId, at])
}

/** The owners a letter reaches: every owner of a household with a unit in its audience. */
const RECIPIENTS = `
  SELECT DISTINCT o.id AS owner_id
    FROM letter l
    JOIN building b ON b.project_id = l.project_id
    JOIN unit u ON u.building_id = b.id
    JOIN household_unit hu ON hu.unit_id = u.id
    JOIN owner o ON o.household_id = hu.household_id AND o.ended_at IS NULL
   WHERE l.id = $1
     AND (NOT l.audience ? 'buildingIds' OR l.audience->'buildingIds' @> to_jsonb(b.id))
     AND (NOT l.audience ? 'unitIds' OR l.audience->'unitIds' @> to_jsonb(u.id))`

/**
 * One delivery record per recipient and, for those with a chat identity, the message on their latest
 * conversation — in one statement, so the planner never has to guess about rows it has just inserted.
 * Owners without a chat identity are recorded as held (NO_CHANNEL).
 */
export async function queueLetterDeliveries(
  db: Db,
  letterId: number,
  at: Date,
  notice: string,
): Promise<void> {
  await db.query(
    `WITH recipients AS (${RECIPIENTS}),
     reach AS (
       SELECT DISTINCT ON (r.owner_id) r.owner_id, ci.channel, ci.external_id, cv.id AS conversation_id
         FROM recipients r
         LEFT JOIN channel_identity ci ON ci.owner_id = r.owner_id
         LEFT JOIN conversation cv ON cv.channel = ci.channel AND cv.external_id = ci.external_id
        ORDER BY r.owner_id, cv.last_inbound_at DESC NULLS LAST, ci.bound_at DESC NULLS LAST),
     deliveries AS (
       INSERT INTO letter_delivery (letter_id, owner_id, status, channel, hold_reason, queued_at)
       SELECT $1, owner_id, CASE WHEN channel IS NULL THEN 'held' ELSE 'queued' END, channel,
              CASE WHEN channel IS NULL THEN 'NO_CHANNEL' END, $2
         FROM reach
       RETURNING id, owner_id, status)
     INSERT INTO outbox (channel, recipient, conversation_id, payload, letter_delivery_id)
     SELECT r.channel, r.external_id, r.conversation_id, jsonb_build_object('kind', 'text', 'text', $3::text), d.id
       FROM deliveries d JOIN reach r ON r.owner_id = d.owner_id
      WHERE d.status = 'queued'
      ORDER BY d.id`,
    [letterId, at, notice],
  )
}

/** One task per ambassador whose owners the letter could not reach by chat (template: count, title). */
export async function queueUnreachedTasks(
  db: Db,
  letterId: number,
  staff: { channel: string; template: string; title: string },
): Promise<void> {
  await db.query(
    `INSERT INTO outbox (channel, recipient, payload)
     SELECT $3, a.wecom_user_id, jsonb_build_object('kind', 'text', 'text', format($2::text, count(*), $4::text))
       FROM letter_delivery d
       JOIN owner o ON o.id = d.owner_id
       JOIN ambassador_assignment aa ON aa.household_id = o.household_id AND aa.ended_at IS NULL
       JOIN ambassador a ON a.id = aa.ambassador_id
      WHERE d.letter_id = $1 AND d.hold_reason = 'NO_CHANNEL' AND a.wecom_user_id IS NOT NULL
      GROUP BY a.wecom_user_id`,
    [letterId, staff.template, staff.channel, staff.title],
  )
}

export async function deliveryCounts(
  db: Db,
  letterId: number,
): Promise<{ recipients: number; queued: number; held: number }> {
  const [counts] = await db.query(
    `SELECT count(*)::int AS recipients, count(*) FILTER (WHERE status = 'queued')::int AS queued,
            count(*) FILTER (WHERE status = 'held')::int AS held
       FROM letter_delivery WHERE letter_id = $1`,
    [letterId],
  )
  return counts
}

export async function letterWithProgress(db: Db, letterId: number) {
  const [letter] = await db.query(
    `SELECT id, kind, project_id AS "projectId", title, body, audience, created_by AS "createdBy",
            created_at AS "createdAt", published_at AS "publishedAt" FROM letter WHERE id = $1`,
    [letterId],
  )
  if (!letter) return null
  const rows: { status: string; n: number }[] = await db.query(
    `SELECT status, count(*)::int AS n FROM letter_delivery WHERE letter_id = $1 GROUP BY status`,
    [letterId],
  )
  return { letter, rows }
}

/**
 * Letters an owner may read: published letters of the projects of the household's units, narrowed by the
 * letter's audience ({} = the whole project, {"buildingIds": [...]}, {"unitIds": [...]}).
 */
const VISIBLE_LETTERS = `
  SELECT DISTINCT l.id, l.title, l.kind, l.body, l.published_at
    FROM household_unit hu
    JOIN unit u ON u.id = hu.unit_id
    JOIN building b ON b.id = u.building_id
    JOIN letter l ON l.project_id = b.project_id
   WHERE hu.household_id = $1 AND l.published_at IS NOT NULL AND l.published_at <= $2
     AND (NOT l.audience ? 'buildingIds' OR l.audience->'buildingIds' @> to_jsonb(b.id))
     AND (NOT l.audience ? 'unitIds' OR l.audience->'unitIds' @> to_jsonb(u.id))`

/** The latest letters an owner may read, with whether they read each. */
export function lettersForOwner(
  db: Db,
  owner: { householdId: number; ownerId: number },
  now: Date,
): Promise<{ id: number; title: string; kind: string; published_at: Date; read: boolean }[]> {
  return db.query(
    `SELECT v.id, v.title, v.kind, v.published_at,
            EXISTS (SELECT 1 FROM letter_delivery d WHERE d.letter_id = v.id AND d.owner_id = $3
                      AND d.read_at IS NOT NULL) AS read
       FROM (${VISIBLE_LETTERS}) v
      ORDER BY v.published_at DESC LIMIT 10`,
    [owner.householdId, now, owner.ownerId],
  )
}

/** One letter the owner may read, with whether they already responded. */
export async function letterForOwner(
  db: Db,
  owner: { householdId: number; ownerId: number },
  letterId: number,
  now: Date,
): Promise<{ title: string; body: string; kind: string; responded: boolean } | null> {
  const rows = await db.query(
    `SELECT v.title, v.body, v.kind,
            EXISTS (SELECT 1 FROM letter_delivery d WHERE d.letter_id = v.id AND d.owner_id = $4
                      AND d.response IS NOT NULL) AS responded
       FROM (${VISIBLE_LETTERS}) v WHERE v.id = $3`,
    [owner.householdId, now, letterId, owner.ownerId],
  )
  return rows[0] ?? null
}

/** The first read is the receipt; later reads never move it. */
export async function markLetterRead(db: Db, letterId: number, ownerId: number, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO letter_delivery (letter_id, owner_id, status, delivered_at, read_at)
     VALUES ($1, $2, 'read', $3, $3)
     ON CONFLICT (letter_id, owner_id) DO UPDATE
       SET status = 'read', read_at = COALESCE(letter_delivery.read_at, EXCLUDED.read_at),
           delivered_at = COALESCE(letter_delivery.delivered_at, EXCLUDED.delivered_at)`,
    [letterId, ownerId, at],
  )
}

/** The owner's answer to a letter, kept once; false when there was one already. */
export async function recordLetterResponse(
  db: Db,
  letterId: number,
  ownerId: number,
  response: string,
  at: Date,
): Promise<boolean> {
  const updated = await queryRows<{ id: string }>(
    db,
    `UPDATE letter_delivery SET response = $3, response_at = $4
      WHERE letter_id = $1 AND owner_id = $2 AND response IS NULL RETURNING id`,
    [letterId, ownerId, response, at],
  )
  return updated.length > 0
}
