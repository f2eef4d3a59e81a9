import Router from '@koa/router'

export interface HealthProbe {
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
    const healthy = database.status === 'up' && !database.pendingMigrations
    ctx.status = healthy ? 200 : 503
    ctx.body = { status: healthy ? 'ok' : 'degraded', database }
  })
  return router
}
