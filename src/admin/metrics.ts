import Router from '@koa/router'
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client'
import type { DataSource } from 'typeorm'

/**
 * /metrics in Prometheus format: the process's own metrics and the queues that matter to operators,
 * read from Postgres at scrape time (so every instance reports the shared truth).
 */
export function metricsRouter(dataSource: DataSource): Router {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'anju_' })
  const gauge = (name: string, help: string, labelNames: string[], sql: string) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset()
        const rows: Record<string, string | number>[] = await dataSource.query(sql)
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
    `SELECT channel, status, count(*)::int AS n FROM outbox WHERE status <> 'sent' GROUP BY 1, 2`,
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
    `SELECT kind, count(*)::int AS n FROM timer WHERE status = 'pending' AND due_at <= now() GROUP BY 1`,
  )
  gauge(
    'anju_cases_open',
    'Open cases by kind and SLA state',
    ['kind', 'sla'],
    `SELECT kind, CASE WHEN sla_paused_at IS NOT NULL THEN 'paused' WHEN reply_due_at < now() THEN 'overdue' ELSE 'on_time' END AS sla,
            count(*)::int AS n FROM service_case WHERE status NOT IN ('resolved', 'closed') GROUP BY 1, 2`,
  )

  const router = new Router()
  router.get('/metrics', async (ctx) => {
    ctx.type = registry.contentType
    ctx.body = await registry.metrics()
  })
  return router
}
