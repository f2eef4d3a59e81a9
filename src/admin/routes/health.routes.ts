import Router from '@koa/router'

export interface CalendarHealth {
  knownThrough: number
  /** Set when the official holiday calendar ends within the look-ahead: SLA deadlines there are guesses. */
  warning?: string
}

export interface HealthProbe {
  calendar(): CalendarHealth
  /** Reports the database: reachable, its kind, and whether migrations are all applied. */
  database(): Promise<{
    status: 'up' | 'down'
    kind: string
    latencyMs?: number
    pendingMigrations?: boolean
    error?: string
  }>
}

export function healthRoutes(probe: HealthProbe): Router {
  const router = new Router()
  router.get('/healthz', async (ctx) => {
    const database = await probe.database()
    const calendar = probe.calendar()
    const healthy = database.status === 'up' && !database.pendingMigrations
    ctx.status = healthy ? 200 : 503
    ctx.body = { status: healthy ? (calendar.warning ? 'warning' : 'ok') : 'degraded', database, calendar }
  })
  return router
}
