import { randomBytes } from 'node:crypto'
import type { EntityManager } from 'typeorm'
import { queryRows } from './sql'

type Db = Pick<EntityManager, 'query'>

export type StoredKind = 'image' | 'voice' | 'video' | 'file'

export interface MediaFile {
  id: number
  channel: string
  sourceRef: string
  kind: StoredKind
  conversationId: number | null
  status: 'pending' | 'stored' | 'failed' | 'rejected' | 'deleted'
  attempts: number
  storageKey: string | null
  thumbnailKey: string | null
  contentType: string | null
  sizeBytes: number | null
  error: string | null
}

const COLUMNS = `id::int, channel, source_ref AS "sourceRef", kind, conversation_id AS "conversationId", status,
  attempts, storage_key AS "storageKey", thumbnail_key AS "thumbnailKey", content_type AS "contentType",
  size_bytes AS "sizeBytes", error`

/** A message's media, to be fetched: once per channel reference (a redelivered message adds nothing). */
export async function recordMedia(
  db: Db,
  media: {
    channel: string
    sourceRef: string
    kind: StoredKind
    conversationId: number
    inboundMessageId: string | number
    at: Date
  },
): Promise<void> {
  await db.query(
    `INSERT INTO media_file (channel, source_ref, kind, conversation_id, inbound_message_id, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (channel, source_ref) DO NOTHING`,
    [media.channel, media.sourceRef, media.kind, media.conversationId, media.inboundMessageId, media.at],
  )
}

/**
 * Leases up to `limit` files due for a fetch: marked with a lease and one more attempt, committed at
 * once, so the download happens outside any transaction. A lease that runs out (a crash) frees the row.
 */
export function leaseDueMedia(db: Db, now: Date, limit: number, leaseMs: number): Promise<MediaFile[]> {
  return queryRows<MediaFile>(
    db,
    `UPDATE media_file SET lease_until = $3, attempts = attempts + 1
      WHERE id IN (SELECT id FROM media_file
                    WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until < $1)
                    ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING ${COLUMNS}`,
    [now, limit, new Date(now.getTime() + leaseMs)],
  )
}

export async function markMediaStored(
  db: Db,
  id: number,
  stored: {
    storageKey: string
    thumbnailKey: string | null
    contentType: string
    sizeBytes: number
    sha256: string
  },
  at: Date,
): Promise<void> {
  await db.query(
    `UPDATE media_file SET status = 'stored', storage_key = $2, thumbnail_key = $3, content_type = $4,
            size_bytes = $5, sha256 = $6, stored_at = $7, lease_until = NULL, error = NULL
      WHERE id = $1`,
    [id, stored.storageKey, stored.thumbnailKey, stored.contentType, stored.sizeBytes, stored.sha256, at],
  )
}

/** Tries again at `retryAt`, or gives up (`failed`), or refuses the content for good (`rejected`). */
export async function markMediaNotStored(
  db: Db,
  id: number,
  outcome:
    { status: 'pending'; retryAt: Date; error: string } | { status: 'failed' | 'rejected'; error: string },
): Promise<void> {
  await db.query(
    `UPDATE media_file SET status = $2, next_attempt_at = coalesce($3, next_attempt_at), lease_until = NULL,
            error = left($4, 500)
      WHERE id = $1`,
    [id, outcome.status, outcome.status === 'pending' ? outcome.retryAt : null, outcome.error],
  )
}

export async function mediaById(db: Db, id: number): Promise<MediaFile | null> {
  const [row] = await queryRows<MediaFile>(db, `SELECT ${COLUMNS} FROM media_file WHERE id = $1`, [id])
  return row ?? null
}

/** The media behind channel references (a case's attachments, a transcript's messages). */
export function mediaByRefs(db: Db, refs: string[]): Promise<MediaFile[]> {
  if (refs.length === 0) return Promise.resolve([])
  return queryRows<MediaFile>(db, `SELECT ${COLUMNS} FROM media_file WHERE source_ref = ANY($1::text[])`, [
    refs,
  ])
}

/** How many files wait for a fetch, and how many could not be kept: /metrics and /healthz. */
export async function mediaBacklog(db: Db): Promise<{ pending: number; failed: number }> {
  const [row] = await queryRows<{ pending: number; failed: number }>(
    db,
    `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
            count(*) FILTER (WHERE status = 'failed')::int AS failed FROM media_file`,
  )
  return row
}

/** A secret all instances share, made once (the first instance to ask creates it). */
export async function sharedSecret(db: Db, name: string): Promise<Buffer> {
  await db.query(`INSERT INTO app_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [
    name,
    randomBytes(32).toString('base64'),
  ])
  const [row] = await queryRows<{ value: string }>(db, `SELECT value FROM app_secret WHERE name = $1`, [name])
  return Buffer.from(row.value, 'base64')
}
