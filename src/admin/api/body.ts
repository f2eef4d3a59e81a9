import getRawBody from 'raw-body'
import type { Context } from 'koa'
import { cleanText } from '../../domain/text'
import { ApiError } from '../middleware/error-handler'

/** What an endpoint accepts as its body. Read only after the caller is authenticated and allowed. */
export interface BodySpec {
  /** Bytes; larger bodies are refused with 413 before they are read to the end. */
  limit: number
  /** Media types besides JSON. */
  csv?: boolean
}

export const SMALL_BODY: BodySpec = { limit: 64 * 1024 }
/** Nesting deeper than this is no API's shape, only a way to make parsing slow. */
const MAX_DEPTH = 16

/** The depth of JSON text, read without parsing it: one pass, stopping as soon as it is too deep. */
export function jsonTooDeep(text: string, maxDepth = MAX_DEPTH): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92)
        i += 1 // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 91 || c === 123) {
      depth += 1
      if (depth > maxDepth) return true
    } else if (c === 93 || c === 125) depth -= 1
  }
  return false
}

/**
 * Reads and parses the request body under the endpoint's limit: JSON (strings cleaned of control
 * characters), or CSV text where the endpoint takes it. Clear 4xx answers for every way a body is wrong.
 */
export async function readBody(ctx: Context, spec: BodySpec): Promise<unknown> {
  const type = ctx.request.is('application/json', '+json', ...(spec.csv ? ['text/csv'] : []))
  const declared = Number(ctx.get('content-length') || 0)
  if (declared > spec.limit) throw tooLarge(spec)
  if (!ctx.request.length && !ctx.get('transfer-encoding')) return undefined
  if (!type) throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json')
  let text: string
  try {
    text = await getRawBody(ctx.req, { limit: spec.limit, encoding: 'utf8' })
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') throw tooLarge(spec)
    throw new ApiError(400, 'UNREADABLE_BODY', 'the body could not be read')
  }
  if (type === 'text/csv') return cleanText(text)
  if (jsonTooDeep(text)) throw new ApiError(400, 'INVALID_JSON', `JSON nested deeper than ${MAX_DEPTH}`)
  try {
    return JSON.parse(text, (_key, value: unknown) => (typeof value === 'string' ? cleanText(value) : value))
  } catch {
    throw new ApiError(400, 'INVALID_JSON', 'the body is not valid JSON')
  }
}

const tooLarge = (spec: BodySpec) =>
  new ApiError(413, 'BODY_TOO_LARGE', `the body may be at most ${Math.round(spec.limit / 1024)} KiB`)
