import type { EntityManager } from 'typeorm'

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
