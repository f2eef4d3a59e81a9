import type Router from '@koa/router'
import type { Context } from 'koa'
import type { DataSource } from 'typeorm'
import type { Clock } from '../../clock'
import { z, type ZodType } from 'zod'
import { audit } from '../../db/case-store'
import { principalFor, type StaffPrincipal, type StaffRoleName } from '../auth'
import { cleanText } from '../../domain/text'
import { ApiError } from '../middleware/error-handler'
import { readBody, SMALL_BODY, type BodySpec } from './body'
import type { MediaStore } from '../../services/media/media-store'

export interface ApiDeps {
  dataSource: DataSource
  /** Business time: deadlines, reports and case events are stamped with it. */
  now: Clock
  /** Wakes the outbox after a request queued messages. */
  onQueued?: () => void
  /** Where owners' media are kept (deleting a person's files). */
  media?: MediaStore
}

export interface Request<Q, B> {
  staff: StaffPrincipal
  query: Q
  body: B
  params: Record<string, string>
  deps: ApiDeps
  ctx: Context
  /** Writes to the audit log as this staff member. */
  audit(action: string, subjectType: string, subjectId: string | number, details?: object): Promise<void>
}

/** One API operation: its route, who may call it, its input schemas (also the OpenAPI document's). */
export interface Endpoint<Q = unknown, B = unknown> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  path: string
  summary: string
  roles: readonly StaffRoleName[]
  /** The path parameters; without it, `:id` must be a database id. */
  params?: ZodType<Record<string, unknown>>
  query?: ZodType<Q>
  body?: ZodType<B>
  /** How large a body, of which types (default: JSON up to 64 KiB, read only when `body` is set). */
  bodySpec?: BodySpec
  handle(request: Request<Q, B>): Promise<unknown>
}

/** PostgreSQL's int4: ids beyond it are no id of ours, and a clear 400 rather than a database error. */
export const INT4_MAX = 2_147_483_647
export const databaseId = z.coerce.number().int().positive().max(INT4_MAX)
/** A database id in a JSON body (no coercion: "12" is not an id there). */
export const bodyId = z.number().int().positive().max(INT4_MAX)
/** A keyset position ("after this id"); bigint ids stay within what JSON numbers hold exactly. */
export const afterId = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0)
/** Path parameters that are database ids. */
const idParams = z.object({ id: databaseId })
/** A date a query may filter on: the range the database and any report can hold. */
export const queryDate = z.coerce
  .date()
  .min(new Date('2000-01-01T00:00:00Z'))
  .max(new Date('2200-01-01T00:00:00Z'))

export const ALL_ROLES = ['admin', 'group_centre', 'branch_head', 'ambassador', 'letter_staff'] as const

export function endpoint<Q = Record<string, never>, B = undefined>(definition: Endpoint<Q, B>): Endpoint {
  return definition as unknown as Endpoint
}

/** Bearer token → staff principal, or 401. */
async function authenticate(ctx: Context, deps: ApiDeps): Promise<StaffPrincipal> {
  const header = ctx.get('authorization')
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
  if (!token) throw new ApiError(401, 'UNAUTHENTICATED', 'a bearer token is required')
  const staff = await principalFor(deps.dataSource, token)
  if (!staff) throw new ApiError(401, 'UNAUTHENTICATED', 'the token is unknown or revoked')
  return staff
}

/** Query string values cleaned like every other input; repeated keys keep their last value. */
function cleanQuery(query: Record<string, string | string[] | undefined>): Record<string, string> {
  const clean: Record<string, string> = {}
  for (const [key, value] of Object.entries(query)) {
    const last = Array.isArray(value) ? value.at(-1) : value
    if (last !== undefined) clean[key] = cleanText(last)
  }
  return clean
}

/**
 * Every request in the same order: who is calling (401), may their role use this route (403, audited),
 * are the path and query well-formed (400), and only then is the body read, under the route's limit.
 */
export function mount(router: Router, prefix: string, endpoints: Endpoint[], deps: ApiDeps): void {
  for (const e of endpoints) {
    const paramsSchema = e.params ?? (e.path.includes(':id') ? idParams : null)
    router[e.method](`${prefix}${e.path}`, async (ctx) => {
      const staff = await authenticate(ctx, deps)
      const auditAs = (action: string, subjectType: string, subjectId: string | number, details?: object) =>
        audit(deps.dataSource.manager, {
          actor: `staff:${staff.tokenId}:${staff.name}`,
          action,
          subjectType,
          subjectId: String(subjectId),
          details,
        })
      if (!e.roles.includes(staff.role)) {
        await auditAs('access.denied', 'route', `${e.method.toUpperCase()} ${e.path}`, { role: staff.role })
        throw new ApiError(403, 'FORBIDDEN', `not allowed for role ${staff.role}`)
      }
      const params = paramsSchema ? paramsSchema.parse(ctx.params) : ctx.params
      const query = e.query ? e.query.parse(cleanQuery(ctx.query)) : {}
      const raw = e.body || e.bodySpec ? await readBody(ctx, e.bodySpec ?? SMALL_BODY) : undefined
      const body = e.body ? e.body.parse(raw ?? {}) : raw
      const result = await e.handle({
        staff,
        query,
        body,
        params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
        deps,
        ctx,
        audit: auditAs,
      })
      if (result !== undefined && ctx.body === undefined) ctx.body = result
    })
  }
}

/** The OpenAPI 3.1 document of the API, generated from the endpoints' own schemas. */
export function openApiDocument(prefix: string, endpoints: Endpoint[]): object {
  const paths: Record<string, Record<string, object>> = {}
  for (const e of endpoints) {
    const path = `${prefix}${e.path}`.replace(/:(\w+)/g, '{$1}')
    const paramsSchema = e.params ?? (e.path.includes(':id') ? idParams : null)
    const paramTypes = paramsSchema
      ? ((z.toJSONSchema(paramsSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>)
          .properties as Record<string, object>)
      : {}
    const params = [...e.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: paramTypes[m[1]] ?? { type: 'string' },
    }))
    const querySchema = e.query
      ? (z.toJSONSchema(e.query, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>)
      : null
    const queryParams = querySchema
      ? Object.entries((querySchema.properties as Record<string, object>) ?? {}).map(([name, schema]) => ({
          name,
          in: 'query',
          required: ((querySchema.required as string[]) ?? []).includes(name),
          schema,
        }))
      : []
    paths[path] ??= {}
    paths[path][e.method] = {
      summary: e.summary,
      description: `Roles: ${e.roles.join(', ')}`,
      security: [{ bearer: [] }],
      parameters: [...params, ...queryParams],
      ...(e.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: z.toJSONSchema(e.body, { io: 'input', unrepresentable: 'any' }),
                },
              },
            },
          }
        : {}),
      responses: {
        '200': { description: 'OK' },
        '400': { $ref: '#/components/responses/Problem' },
        '401': { $ref: '#/components/responses/Problem' },
        '403': { $ref: '#/components/responses/Problem' },
        '404': { $ref: '#/components/responses/Problem' },
        '409': { $ref: '#/components/responses/Problem' },
        '413': { $ref: '#/components/responses/Problem' },
        '415': { $ref: '#/components/responses/Problem' },
        '422': { $ref: '#/components/responses/Problem' },
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Anju admin API', version: '1' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      responses: {
        Problem: {
          description: 'An RFC 9457 problem with a stable code',
          content: {
            'application/problem+json': {
              schema: {
                type: 'object',
                properties: {
                  title: { type: 'string' },
                  status: { type: 'integer' },
                  code: { type: 'string' },
                  details: {},
                },
              },
            },
          },
        },
      },
    },
    paths,
  }
}

/** A CSV download for spreadsheets: UTF-8 with a BOM, so that Excel opens the Chinese text as UTF-8. */
export function sendCsv(ctx: Context, fileName: string, csv: string): undefined {
  ctx.type = 'text/csv; charset=utf-8'
  ctx.attachment(fileName)
  ctx.body = `\uFEFF${csv}`
  return undefined
}
