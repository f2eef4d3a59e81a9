import type { EntityManager } from 'typeorm'
import { queryRows } from './sql'

export interface AuditEntry {
  id: string
  at: Date
  actor: string
  action: string
  subjectType: string
  subjectId: string
  details: unknown
}

export interface AuditFilter {
  /** Entries whose actor starts with this ("staff:12:" for one token, "wecom:" for WeCom users). */
  actor?: string
  /** An action, or a family of them ("case." for every case action). */
  action?: string
  subjectType?: string
  subjectId?: string
  from?: Date
  to?: Date
  /** Keyset cursor: entries older than this id. */
  before?: string
  limit: number
}

const prefix = (value: string) => `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/** Newest first; the id cursor keeps pages stable while new entries are written. */
export function listAudit(db: Pick<EntityManager, 'query'>, filter: AuditFilter): Promise<AuditEntry[]> {
  return queryRows<AuditEntry>(
    db,
    `SELECT id::text, at, actor, action, subject_type AS "subjectType", subject_id AS "subjectId", details
       FROM audit_log
      WHERE ($1::text IS NULL OR actor LIKE $1)
        AND ($2::text IS NULL OR action = $2 OR (right($2, 1) = '.' AND action LIKE $3))
        AND ($4::text IS NULL OR subject_type = $4)
        AND ($5::text IS NULL OR subject_id = $5)
        AND ($6::timestamptz IS NULL OR at >= $6)
        AND ($7::timestamptz IS NULL OR at < $7)
        AND ($8::bigint IS NULL OR id < $8)
      ORDER BY audit_log.id DESC LIMIT $9`,
    [
      filter.actor === undefined ? null : prefix(filter.actor),
      filter.action ?? null,
      filter.action === undefined ? null : prefix(filter.action),
      filter.subjectType ?? null,
      filter.subjectId ?? null,
      filter.from ?? null,
      filter.to ?? null,
      filter.before ?? null,
      filter.limit,
    ],
  )
}
