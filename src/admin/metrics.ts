import Router from '@koa/router'
import { timingSafeEqual } from 'node:crypto'
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client'
import type { DataSource } from 'typeorm'
import type { Clock } from '../clock'
import { QUEUE_GAUGES } from '../db/metrics-queries'
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
  for (const gauge of QUEUE_GAUGES) {
    new Gauge({
      name: gauge.name,
      help: gauge.help,
      labelNames: gauge.labels,
      registers: [registry],
      async collect() {
        this.reset()
        for (const row of await gauge.read(dataSource, clock())) {
          const labels = Object.fromEntries(gauge.labels.map((label) => [label, String(row[label])]))
          this.set(labels, Number(row.n))
        }
      },
    })
  }

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
