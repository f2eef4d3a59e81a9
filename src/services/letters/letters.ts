import type { EntityManager } from 'typeorm'
import { copy } from '../../copy'
import { queryRows } from '../../db/sql'
import { STAFF_CHANNEL } from '../notifications/staff-notifications'

export type LetterKind = 'progress' | 'design_change' | 'move_in'

export interface NewLetter {
  kind: LetterKind
  projectId: number
  title: string
  body: string
  buildingIds?: number[]
  unitIds?: number[]
  createdBy: string
}

export async function createLetter(
  manager: Pick<EntityManager, 'query'>,
  letter: NewLetter,
): Promise<number> {
  const audience = {
    ...(letter.buildingIds?.length ? { buildingIds: letter.buildingIds } : {}),
    ...(letter.unitIds?.length ? { unitIds: letter.unitIds } : {}),
  }
  const [row] = await manager.query(
    `INSERT INTO letter (kind, project_id, title, body, audience, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [letter.kind, letter.projectId, letter.title, letter.body, JSON.stringify(audience), letter.createdBy],
  )
  return row.id
}

/** The owners a letter reaches: every owner of a household with a unit in its audience. */
const RECIPIENTS = `
  SELECT DISTINCT o.id AS owner_id
    FROM letter l
    JOIN building b ON b.project_id = l.project_id
    JOIN unit u ON u.building_id = b.id
    JOIN household_unit hu ON hu.unit_id = u.id
    JOIN owner o ON o.household_id = hu.household_id
   WHERE l.id = $1
     AND (NOT l.audience ? 'buildingIds' OR l.audience->'buildingIds' @> to_jsonb(b.id))
     AND (NOT l.audience ? 'unitIds' OR l.audience->'unitIds' @> to_jsonb(u.id))`

/**
 * Publishes a letter: freezes its content, records one delivery per recipient and queues the messages,
 * all set-based in this transaction. Owners without a chat identity are recorded as held (NO_CHANNEL)
 * and each ambassador gets one task listing how many of their owners need another way.
 */
export async function publishLetter(
  manager: EntityManager,
  letterId: number,
  now: Date,
): Promise<{ recipients: number; queued: number; held: number } | 'NOT_FOUND' | 'ALREADY_PUBLISHED'> {
  const [letter] = await queryRows<{
    title: string
    body: string
    kind: LetterKind
    published_at: Date | null
  }>(manager, `SELECT title, body, kind, published_at FROM letter WHERE id = $1 FOR UPDATE`, [letterId])
  if (!letter) return 'NOT_FOUND'
  if (letter.published_at) return 'ALREADY_PUBLISHED'
  await manager.query(`UPDATE letter SET published_at = $2 WHERE id = $1`, [letterId, now])

  // Each owner's latest conversation is where the letter goes. Deliveries and their messages are
  // written by one statement, so the planner never has to guess about rows it has just inserted.
  const notice = copy.letters.notice(
    copy.letters.kinds[letter.kind] ?? letter.kind,
    letter.title,
    letter.body,
  )
  await manager.query(
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
    [letterId, now, notice],
  )
  await manager.query(
    `INSERT INTO outbox (channel, recipient, payload)
     SELECT $3, a.wecom_user_id, jsonb_build_object('kind', 'text', 'text', format($2::text, count(*), $4::text))
       FROM letter_delivery d
       JOIN owner o ON o.id = d.owner_id
       JOIN ambassador_assignment aa ON aa.household_id = o.household_id AND aa.ended_at IS NULL
       JOIN ambassador a ON a.id = aa.ambassador_id
      WHERE d.letter_id = $1 AND d.hold_reason = 'NO_CHANNEL' AND a.wecom_user_id IS NOT NULL
      GROUP BY a.wecom_user_id`,
    [letterId, copy.staff.letterWithoutChannel, STAFF_CHANNEL, letter.title],
  )
  const [counts] = await manager.query(
    `SELECT count(*)::int AS recipients, count(*) FILTER (WHERE status = 'queued')::int AS queued,
            count(*) FILTER (WHERE status = 'held')::int AS held
       FROM letter_delivery WHERE letter_id = $1`,
    [letterId],
  )
  return counts
}

export async function letterProgress(manager: Pick<EntityManager, 'query'>, letterId: number) {
  const [letter] = await manager.query(
    `SELECT id, kind, project_id AS "projectId", title, body, audience, created_by AS "createdBy",
            created_at AS "createdAt", published_at AS "publishedAt" FROM letter WHERE id = $1`,
    [letterId],
  )
  if (!letter) return null
  const rows: { status: string; n: number }[] = await manager.query(
    `SELECT status, count(*)::int AS n FROM letter_delivery WHERE letter_id = $1 GROUP BY status`,
    [letterId],
  )
  const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>
  const total = rows.reduce((sum, r) => sum + r.n, 0)
  const reached = (byStatus.delivered ?? 0) + (byStatus.read ?? 0)
  return {
    ...letter,
    progress: { total, byStatus, reached, done: total > 0 && (byStatus.queued ?? 0) === 0 },
  }
}
