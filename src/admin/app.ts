import Koa from 'koa'
import type { Logger } from '../logger'
import { errorHandler } from './middleware/error-handler'
import { healthRoutes, type HealthProbe } from './routes/health.routes'

export interface AdminDeps {
  health: HealthProbe
  logger: Logger
}

/** The staff-facing HTTP app: error handling first, then the routes. */
export function createAdminApp(deps: AdminDeps): Koa {
  const app = new Koa()
  app.silent = true
  app.on('error', (error: unknown) => deps.logger.error({ err: error }, 'admin request failed'))
  app.use(errorHandler())
  const health = healthRoutes(deps.health)
  app.use(health.routes()).use(health.allowedMethods())
  return app
}
