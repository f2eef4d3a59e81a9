import type { EntityManager } from 'typeorm'
import type { RetentionKind } from '../domain/retention'
import { queryRows } from './sql'

type Db = Pick<EntityManager, 'query'>

/**
 * One batch of removal per kind, oldest first, at most `limit` rows, skipping rows another instance
 * holds: each returns how many rows it changed (media: the storage keys to delete).
 */
const BATCHES: Record<Exclude<RetentionKind, 'media'>, string> = {
  messages: `
    WITH doomed AS (SELECT id FROM inbound_message WHERE accepted_at < $1 AND status <> 'pending'
                     ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED),
    replies AS (UPDATE outbox SET inbound_id = NULL WHERE inbound_id IN (SELECT id FROM doomed)),
    files AS (UPDATE media_file SET inbound_message_id = NULL WHERE inbound_message_id IN (SELECT id FROM doomed)),
    removed AS (DELETE FROM inbound_message WHERE id IN (SELECT id FROM doomed) RETURNING 1)
    SELECT count(*)::int AS n FROM removed`,
  outbox: `
    WITH removed AS (DELETE FROM outbox WHERE id IN (
      SELECT id FROM outbox WHERE created_at < $1 AND status IN ('sent', 'dead')
       ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING 1)
    SELECT count(*)::int AS n FROM removed`,
  dialogs: `
    WITH cleared AS (UPDATE conversation SET dialog = NULL, dialog_expires_at = NULL WHERE id IN (
      SELECT id FROM conversation WHERE dialog IS NOT NULL AND dialog_expires_at < $1
       ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING 1)
    SELECT count(*)::int AS n FROM cleared`,
  caseOwners: `
    WITH cleared AS (UPDATE service_case SET owner_id = NULL, details = details - 'reporter' WHERE id IN (
      SELECT id FROM service_case WHERE closed_at < $1 AND (owner_id IS NOT NULL OR details ? 'reporter')
       ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING 1)
    SELECT count(*)::int AS n FROM cleared`,
}

export async function removeBatch(
  db: Db,
  kind: Exclude<RetentionKind, 'media'>,
  cutoff: Date,
  limit: number,
): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, BATCHES[kind], [cutoff, limit])
  return row.n
}

/** Stored media past the cutoff, marked deleted; returns their storage keys for the store to remove. */
export async function expireMediaBatch(db: Db, cutoff: Date, limit: number): Promise<string[]> {
  const rows = await queryRows<{ storage_key: string | null; thumbnail_key: string | null }>(
    db,
    `UPDATE media_file SET status = 'deleted' WHERE id IN (
       SELECT id FROM media_file WHERE created_at < $1 AND status IN ('stored', 'failed', 'rejected')
        ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING storage_key, thumbnail_key`,
    [cutoff, limit],
  )
  return rows.flatMap((r) => [r.storage_key, r.thumbnail_key].filter((k): k is string => k !== null))
}

export async function recordRetentionRun(
  db: Db,
  kind: RetentionKind,
  removed: number,
  at: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO retention_run (kind, last_run_at, removed_last_run, removed_total) VALUES ($1, $2, $3, $3)
     ON CONFLICT (kind) DO UPDATE SET last_run_at = $2, removed_last_run = $3,
       removed_total = retention_run.removed_total + $3`,
    [kind, at, removed],
  )
}
