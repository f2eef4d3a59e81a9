import Router from '@koa/router'
import type { HealthProbe } from '../../db/health'
import { metricsAccess } from '../metrics'

/**
 * /healthz: the status for anyone (a load balancer); the details — database errors carry addresses and
 * ports — only for this machine or whoever sends the metrics token, as /metrics.
 */
export function healthRoutes(probe: HealthProbe, metricsToken: string | null): Router {
  const router = new Router()
  router.get('/healthz', async (ctx) => {
    const database = await probe.database()
    const calendar = probe.calendar()
    const healthy = database.status === 'up' && !database.pendingMigrations
    ctx.status = healthy ? 200 : 503
    const status = healthy ? (calendar.warning ? 'warning' : 'ok') : 'degraded'
    const access = metricsAccess(metricsToken, {
      ip: ctx.ip,
      authorization: ctx.get('authorization') || undefined,
    })
    ctx.body = access === 'allowed' ? { status, database, calendar } : { status }
  })
  /** Liveness: the process answers. A restart would not help with anything else. */
  router.get('/livez', (ctx) => {
    ctx.body = { status: 'alive' }
  })
  /** Readiness: send traffic here (a load balancer, Kubernetes, compose's healthcheck). */
  router.get('/readyz', async (ctx) => {
    const checks = await probe.readiness()
    const ready = Object.values(checks).every(Boolean)
    ctx.status = ready ? 200 : 503
    ctx.body = { status: ready ? 'ready' : 'not ready', checks }
  })
  return router
}
