import Router from '@koa/router'
import { timingSafeEqual } from 'node:crypto'
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client'
import type { DataSource } from 'typeorm'
import type { Clock } from '../clock'
import { slaStateSql } from '../domain/sla-state'
import { ApiError } from './middleware/error-handler'

/**
 * Who may scrape: with a token configured, whoever sends it as a bearer token (Prometheus'
 * `authorization` setting); without one, only this machine, as GitLab's monitoring allow-list does by
 * default. The queues' sizes say how busy the service is, which is nobody else's business.
 */
export function metricsAccess(
  token: string | null,
  request: { ip: string; authorization: string | undefined },
): 'allowed' | 'needs-token' | 'wrong-token' | 'not-local' {
  if (token) {
    if (!request.authorization) return 'needs-token'
    const given = Buffer.from(request.authorization)
    const expected = Buffer.from(`Bearer ${token}`)
    return given.length === expected.length && timingSafeEqual(given, expected) ? 'allowed' : 'wrong-token'
  }
  return /^(127\.|::1$|::ffff:127\.)/.test(request.ip) ? 'allowed' : 'not-local'
}

/**
 * /metrics in Prometheus format: the process's own metrics and the queues that matter to operators,
 * read from Postgres at scrape time (so every instance reports the shared truth).
 */
export function metricsRouter(dataSource: DataSource, token: string | null, clock: Clock): Router {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'anju_' })
  // Every query gets the app's clock as $1, whether or not it judges time.
  const gauge = (name: string, help: string, labelNames: string[], sql: string) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset()
        const rows: Record<string, string | number>[] = await dataSource.query(
          sql,
          sql.includes('$1') ? [clock()] : [],
        )
        for (const row of rows) {
          const labels = Object.fromEntries(labelNames.map((label) => [label, String(row[label])]))
          this.set(labels, Number(row.n))
        }
      },
    })
  gauge(
    'anju_outbox_messages',
    'Outbox messages by channel and status',
    ['channel', 'status'],
    // Two parts, each matching a partial index: the outbox keeps every message ever sent.
    `SELECT channel, status, count(*)::int AS n FROM outbox WHERE status IN ('pending', 'sending', 'held') GROUP BY 1, 2
     UNION ALL
     SELECT channel, status, count(*)::int AS n FROM outbox WHERE status = 'dead' GROUP BY 1, 2`,
  )
  gauge(
    'anju_inbound_pending',
    'Accepted messages not yet handled, by channel',
    ['channel'],
    `SELECT channel, count(*)::int AS n FROM inbound_message WHERE status = 'pending' GROUP BY 1`,
  )
  gauge(
    'anju_timers_due',
    'Pending timers already due, by kind',
    ['kind'],
    `SELECT kind, count(*)::int AS n FROM timer WHERE status = 'pending' AND due_at <= $1 GROUP BY 1`,
  )
  gauge(
    'anju_cases_open',
    'Open cases by kind and SLA state',
    ['kind', 'sla'],
    `SELECT kind, COALESCE(${slaStateSql(1)}, 'none') AS sla,
            count(*)::int AS n FROM service_case c WHERE status NOT IN ('resolved', 'closed') GROUP BY 1, 2`,
  )

  const router = new Router()
  router.get('/metrics', async (ctx) => {
    const access = metricsAccess(token, { ip: ctx.ip, authorization: ctx.get('authorization') || undefined })
    if (access === 'needs-token' || access === 'wrong-token')
      throw new ApiError(401, 'UNAUTHENTICATED', 'send the metrics token as a bearer token')
    if (access === 'not-local')
      throw new ApiError(
        403,
        'FORBIDDEN',
        'metrics are served to this machine only unless METRICS_TOKEN is set',
      )
    ctx.type = registry.contentType
    ctx.body = await registry.metrics()
  })
  return router
}
