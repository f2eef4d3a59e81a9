import type { EntityManager } from 'typeorm'
import { slaStateSql } from '../domain/sla-state'

/** A gauge read from the database at scrape time: rows of its labels and a count `n`. */
export interface QueueGauge {
  name: string
  help: string
  labels: string[]
  read(db: Pick<EntityManager, 'query'>, now: Date): Promise<Record<string, string | number>[]>
}

/** The queues that matter to operators, as every instance sees them (the shared truth). */
export const QUEUE_GAUGES: QueueGauge[] = [
  {
    name: 'anju_outbox_messages',
    help: 'Outbox messages by channel and status',
    labels: ['channel', 'status'],
    // Two parts, each matching a partial index: the outbox keeps every message ever sent.
    read: (db) =>
      db.query(
        `SELECT channel, status, count(*)::int AS n FROM outbox WHERE status IN ('pending', 'sending', 'held') GROUP BY 1, 2
         UNION ALL
         SELECT channel, status, count(*)::int AS n FROM outbox WHERE status = 'dead' GROUP BY 1, 2`,
      ),
  },
  {
    name: 'anju_inbound_pending',
    help: 'Accepted messages not yet handled, by channel',
    labels: ['channel'],
    read: (db) =>
      db.query(`SELECT channel, count(*)::int AS n FROM inbound_message WHERE status = 'pending' GROUP BY 1`),
  },
  {
    name: 'anju_timers_due',
    help: 'Pending timers already due, by kind',
    labels: ['kind'],
    read: (db, now) =>
      db.query(
        `SELECT kind, count(*)::int AS n FROM timer WHERE status = 'pending' AND due_at <= $1 GROUP BY 1`,
        [now],
      ),
  },
  {
    name: 'anju_retention_removed_total',
    help: 'Rows removed or pseudonymised by the retention runs so far, by kind',
    labels: ['kind'],
    read: (db) => db.query(`SELECT kind, removed_total::float8 AS n FROM retention_run`),
  },
  {
    name: 'anju_retention_last_run_timestamp_seconds',
    help: 'When the retention run last processed each kind',
    labels: ['kind'],
    read: (db) => db.query(`SELECT kind, extract(epoch FROM last_run_at)::float8 AS n FROM retention_run`),
  },
  {
    name: 'anju_media_files',
    help: 'Owners’ media files by state (pending: waiting to be fetched)',
    labels: ['status'],
    read: (db) => db.query(`SELECT status, count(*)::int AS n FROM media_file GROUP BY 1`),
  },
  {
    name: 'anju_cases_open',
    help: 'Open cases by kind and SLA state',
    labels: ['kind', 'sla'],
    read: (db, now) =>
      db.query(
        `SELECT kind, COALESCE(${slaStateSql(1)}, 'none') AS sla, count(*)::int AS n
           FROM service_case c WHERE status NOT IN ('resolved', 'closed') GROUP BY 1, 2`,
        [now],
      ),
  },
]
