import type Router from '@koa/router'
import Koa from 'koa'
import type { Logger } from '../logger'
import { ApiError, errorHandler } from './middleware/error-handler'
import { securityHeaders } from './middleware/security-headers'
import type { HealthProbe } from '../db/health'
import { healthRoutes } from './routes/health.routes'

export interface AdminDeps {
  health: HealthProbe
  logger: Logger
  /** Channel endpoints served by the same HTTP server (WeCom callbacks, the sidebar page). */
  routers?: Router[]
  /** Keys for signed cookies (the sidebar's session). */
  cookieKeys?: string[]
  /** Who may read health details besides this machine (the metrics token). */
  metricsToken?: string | null
  /** True once shutdown began: new work is refused (503) so the load balancer and WeCom go elsewhere. */
  draining?: () => boolean
  /** Behind a reverse proxy that sets X-Forwarded-For/-Proto: believe them (and only then). */
  trustProxy?: boolean
}

/** The staff-facing HTTP app: error handling first, then the routes. */
export function createAdminApp(deps: AdminDeps): Koa {
  const app = new Koa()
  app.silent = true
  if (deps.cookieKeys) app.keys = deps.cookieKeys
  app.proxy = deps.trustProxy ?? false
  app.on('error', (error: unknown) => deps.logger.error({ err: error }, 'admin request failed'))
  app.use(securityHeaders())
  app.use(errorHandler())
  app.use(async (ctx, next) => {
    if (deps.draining?.() && !['/livez', '/readyz', '/healthz'].includes(ctx.path)) {
      ctx.set('connection', 'close')
      ctx.set('retry-after', '1')
      throw new ApiError(503, 'DRAINING', 'this instance is shutting down; try again')
    }
    await next()
  })
  const health = healthRoutes(deps.health, deps.metricsToken ?? null)
  app.use(health.routes()).use(health.allowedMethods())
  for (const router of deps.routers ?? []) app.use(router.routes()).use(router.allowedMethods())
  return app
}
