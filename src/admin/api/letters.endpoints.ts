import { z } from 'zod'
import { createLetter, letterProgress, publishLetter, type LetterKind } from '../../db/letters'
import { ApiError } from '../middleware/error-handler'
import { endpoint, type Request } from './endpoint'

const LETTER_ROLES = ['admin', 'group_centre', 'branch_head', 'letter_staff'] as const

const newLetter = z.object({
  kind: z.enum(['progress', 'design_change', 'move_in']),
  projectId: z.number().int().positive(),
  title: z.string().trim().min(2).max(100),
  body: z.string().trim().min(2).max(5000),
  buildingIds: z.array(z.number().int().positive()).max(500).optional(),
  unitIds: z.array(z.number().int().positive()).max(10_000).optional(),
})
type NewLetterBody = z.infer<typeof newLetter>

export function letterEndpoints(onQueued: () => void) {
  return [
    endpoint({
      method: 'post',
      path: '/letters',
      summary:
        'Draft a progress letter, design-change notice or move-in notice for a project, buildings or units',
      roles: LETTER_ROLES,
      body: newLetter,
      async handle({ staff, body, deps, audit, ctx }: Request<unknown, NewLetterBody>) {
        const id = await createLetter(deps.dataSource, {
          ...body,
          kind: body.kind as LetterKind,
          createdBy: `staff:${staff.tokenId}:${staff.name}`,
        })
        await audit('letter.create', 'letter', id, { kind: body.kind, projectId: body.projectId })
        ctx.status = 201
        return { id }
      },
    }),

    endpoint({
      method: 'post',
      path: '/letters/:id/publish',
      summary: 'Publish: freeze the letter and send it to every recipient under each channel’s rules',
      roles: LETTER_ROLES,
      async handle({ params, deps, audit }) {
        const result = await deps.dataSource.transaction((manager) =>
          publishLetter(manager, Number(params.id), deps.now()),
        )
        if (result === 'NOT_FOUND') throw new ApiError(404, 'NOT_FOUND', 'No such letter')
        if (result === 'ALREADY_PUBLISHED')
          throw new ApiError(409, 'ALREADY_PUBLISHED', 'The letter was published before')
        await audit('letter.publish', 'letter', params.id, result)
        onQueued()
        return result
      },
    }),

    endpoint({
      method: 'get',
      path: '/letters/:id',
      summary: 'The letter and its delivery progress by status',
      roles: LETTER_ROLES,
      async handle({ params, deps }) {
        const letter = await letterProgress(deps.dataSource, Number(params.id))
        if (!letter) throw new ApiError(404, 'NOT_FOUND', 'No such letter')
        return letter
      },
    }),

    endpoint({
      method: 'get',
      path: '/letters/:id/deliveries',
      summary: 'Per-recipient delivery records (queued, held and why, delivered, read), by id',
      roles: LETTER_ROLES,
      query: z.object({
        status: z.enum(['queued', 'held', 'delivered', 'read', 'failed']).optional(),
        after: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      async handle({
        params,
        query,
        deps,
      }: Request<{ status?: string; after: number; limit: number }, undefined>) {
        const items = await deps.dataSource.query(
          `SELECT d.id, o.name AS owner, d.channel, d.status, d.hold_reason AS "holdReason", d.queued_at AS "queuedAt",
                  d.delivered_at AS "deliveredAt", d.read_at AS "readAt", d.response
             FROM letter_delivery d JOIN owner o ON o.id = d.owner_id
            WHERE d.letter_id = $1 AND d.id > $2 AND ($3::text IS NULL OR d.status = $3)
            ORDER BY d.id LIMIT $4`,
          [Number(params.id), query.after, query.status ?? null, query.limit],
        )
        return { items, next: items.length === query.limit ? items[items.length - 1].id : null }
      },
    }),
  ]
}

/** Why messages are waiting: held by a channel's rules (and why), or retrying after failures. */
export const outboxEndpoint = endpoint({
  method: 'get',
  path: '/outbox',
  summary: 'Messages not delivered yet, with the reason they wait (held: channel rules; pending: retrying)',
  roles: ['admin', 'group_centre', 'branch_head', 'letter_staff'],
  query: z.object({
    status: z.enum(['held', 'pending', 'sending', 'dead']).optional(),
    channel: z.string().max(32).optional(),
    after: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
  async handle({
    query,
    deps,
  }: Request<{ status?: string; channel?: string; after: number; limit: number }, undefined>) {
    // Each half matches a partial index: the outbox also keeps every message ever sent, which a scan
    // in id order would wade through.
    const half = (statuses: string) =>
      `(SELECT * FROM outbox WHERE status IN (${statuses}) AND id > $1
          AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR channel = $3)
        ORDER BY id LIMIT $4)`
    const items = await deps.dataSource.query(
      `SELECT id::int, channel, recipient, status, hold_reason AS "holdReason", attempts, last_error AS "lastError",
              next_attempt_at AS "nextAttemptAt", created_at AS "createdAt", letter_delivery_id AS "letterDeliveryId"
         FROM (${half(`'pending', 'sending', 'held'`)} UNION ALL ${half(`'dead'`)}) waiting
        ORDER BY id LIMIT $4`,
      [query.after, query.status ?? null, query.channel ?? null, query.limit],
    )
    return { items, next: items.length === query.limit ? items[items.length - 1].id : null }
  },
})
