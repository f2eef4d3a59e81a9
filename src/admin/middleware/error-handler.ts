import type { Middleware } from 'koa'
import { QueryFailedError } from 'typeorm'
import { ZodError } from 'zod'
import { MalformedImportError } from '../../services/imports/customer-import'

/** An error the API answers with its own status and stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}

/** PostgreSQL errors that are the caller's doing, not ours. */
const DATABASE_CONFLICTS: Record<string, { status: number; code: string; title: string }> = {
  '23505': { status: 409, code: 'ALREADY_EXISTS', title: 'A record with the same key already exists' },
  '23503': {
    status: 409,
    code: 'REFERENCED_RECORD',
    title: 'The record refers to, or is referred to by, another record',
  },
  '23514': { status: 422, code: 'CONSTRAINT_VIOLATED', title: 'The values break a rule of the record' },
  '42501': { status: 409, code: 'RECORD_IS_FINAL', title: 'The record can no longer be changed' },
}

/**
 * A database "data exception" (class 22: a value out of range, a malformed date, a NUL byte) is bad
 * input the endpoint's schema let through: the caller gets a 400, never a 500. Schemas should catch
 * these first; this is the net under them.
 */
const isDataException = (code: string | undefined) => code?.startsWith('22') ?? false

function toApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error
  if (error instanceof MalformedImportError) return new ApiError(400, 'MALFORMED_IMPORT', error.message)
  if (error instanceof ZodError) {
    const details = error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message }))
    return new ApiError(
      400,
      'INVALID_INPUT',
      details.map((d) => `${d.field || '(body)'}: ${d.message}`).join('; '),
      details,
    )
  }
  if (error instanceof QueryFailedError) {
    const code = (error.driverError as { code?: string } | undefined)?.code
    const known = code ? DATABASE_CONFLICTS[code] : undefined
    if (known) return new ApiError(known.status, known.code, known.title)
    if (isDataException(code))
      return new ApiError(400, 'INVALID_VALUE', 'A value is out of range or malformed')
  }
  return null
}

/**
 * First middleware: every failure becomes application/problem+json (RFC 9457) with a stable `code`.
 * Validation errors are 400 with the fields, unique and reference violations 409, unknown errors 500
 * with no internals in the body (they are emitted for the logger).
 */
export function errorHandler(): Middleware {
  return async function errorHandlerMiddleware(ctx, next) {
    try {
      await next()
      if (ctx.status === 404 && ctx.body === undefined)
        throw new ApiError(404, 'NOT_FOUND', 'No such resource')
    } catch (error) {
      const known = toApiError(error)
      const status = known?.status ?? 500
      ctx.status = status
      ctx.type = 'application/problem+json'
      ctx.body = {
        type: 'about:blank',
        title: known ? known.message : 'Internal server error',
        status,
        code: known ? known.code : 'INTERNAL',
        ...(known?.details ? { details: known.details } : {}),
      }
      if (!known) ctx.app.emit('error', error, ctx)
    }
  }
}
