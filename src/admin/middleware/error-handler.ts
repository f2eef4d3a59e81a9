import type { Middleware } from 'koa'

/** An error the API answers with its own status and stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/**
 * First middleware: every failure becomes application/problem+json (RFC 9457) with a stable `code`.
 * Unknown errors are 500 with no internals in the body; they are emitted for the logger.
 */
export function errorHandler(): Middleware {
  return async function errorHandlerMiddleware(ctx, next) {
    try {
      await next()
      if (ctx.status === 404 && ctx.body === undefined)
        throw new ApiError(404, 'NOT_FOUND', 'No such resource')
    } catch (error) {
      const known = error instanceof ApiError
      const status = known ? error.status : 500
      ctx.status = status
      ctx.type = 'application/problem+json'
      ctx.body = {
        type: 'about:blank',
        title: known ? error.message : 'Internal server error',
        status,
        code: known ? error.code : 'INTERNAL',
      }
      if (!known) ctx.app.emit('error', error, ctx)
    }
  }
}
