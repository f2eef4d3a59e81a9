import type Router from '@koa/router'
import type { Context } from 'koa'
import type { DataSource } from 'typeorm'
import type { Clock } from '../../clock'
import { z, type ZodType } from 'zod'
import { audit } from '../../db/case-store'
import { principalFor, type StaffPrincipal, type StaffRoleName } from '../auth'
import { ApiError } from '../middleware/error-handler'

export interface ApiDeps {
  dataSource: DataSource
  /** Business time: deadlines, reports and case events are stamped with it. */
  now: Clock
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
  method: 'get' | 'post' | 'patch'
  path: string
  summary: string
  roles: readonly StaffRoleName[]
  query?: ZodType<Q>
  body?: ZodType<B>
  handle(request: Request<Q, B>): Promise<unknown>
}

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

export function mount(router: Router, prefix: string, endpoints: Endpoint[], deps: ApiDeps): void {
  for (const e of endpoints) {
    router[e.method](`${prefix}${e.path}`, async (ctx) => {
      const staff = await authenticate(ctx, deps)
      if (!e.roles.includes(staff.role))
        throw new ApiError(403, 'FORBIDDEN', `not allowed for role ${staff.role}`)
      const query = e.query ? e.query.parse(ctx.query) : {}
      const body = e.body ? e.body.parse((ctx.request as { body?: unknown }).body ?? {}) : undefined
      const result = await e.handle({
        staff,
        query,
        body,
        params: ctx.params as Record<string, string>,
        deps,
        ctx,
        audit: (action, subjectType, subjectId, details) =>
          audit(deps.dataSource.manager, {
            actor: `staff:${staff.tokenId}:${staff.name}`,
            action,
            subjectType,
            subjectId: String(subjectId),
            details,
          }),
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
    const params = [...e.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
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
