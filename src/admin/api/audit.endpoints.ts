import { z } from 'zod'
import { listAudit, type AuditFilter } from '../../db/audit-queries'
import { toCsv } from '../../services/reports/csv'
import { endpoint, queryDate, sendCsv, type Request } from './endpoint'

const auditQuery = z.object({
  actor: z.string().trim().min(1).max(128).optional(),
  action: z.string().trim().min(1).max(64).optional(),
  subjectType: z.string().trim().min(1).max(64).optional(),
  subjectId: z.string().trim().min(1).max(128).optional(),
  from: queryDate.optional(),
  to: queryDate.optional(),
  before: z
    .string()
    .regex(/^[1-9]\d{0,17}$/, 'an entry id')
    .optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(200),
  format: z.enum(['json', 'csv']).default('json'),
})
type AuditQuery = z.infer<typeof auditQuery>

/**
 * The audit log for admins: who read, searched, changed or was refused what. Reading it is itself
 * recorded. Newest first with an id cursor; CSV for the compliance office's spreadsheets.
 */
export const auditEndpoints = [
  endpoint({
    method: 'get',
    path: '/audit-log',
    summary:
      'Audit entries, newest first (actor prefix, action or family like "case.", subject, time range, cursor `before`); format=csv',
    roles: ['admin'],
    query: auditQuery,
    async handle({ query, deps, ctx, audit }: Request<AuditQuery, undefined>) {
      const { format, ...filter } = query
      const entries = await listAudit(deps.dataSource, filter as AuditFilter)
      await audit('audit.read', 'audit_log', '*', { ...filter, format, entries: entries.length })
      if (format === 'json')
        return { items: entries, nextBefore: entries.length === query.limit ? entries.at(-1)?.id : null }
      return sendCsv(
        ctx,
        'audit-log.csv',
        toCsv(
          entries.map((e) => ({
            id: e.id,
            at: e.at.toISOString(),
            actor: e.actor,
            action: e.action,
            subject_type: e.subjectType,
            subject_id: e.subjectId,
            details: JSON.stringify(e.details),
          })),
        ),
      )
    },
  }),
]
