import { z } from 'zod'
import { createLetter, letterProgress, publishLetter, type LetterKind } from '../../services/letters/letters'
import { canSeeProject, scopeOf } from '../../db/access'
import {
  audienceOutsideProject,
  letterDeliveries,
  letterProject,
  waitingMessages,
} from '../../db/letter-queries'
import { ApiError } from '../middleware/error-handler'
import { afterId, bodyId, endpoint, type Request } from './endpoint'

const LETTER_ROLES = ['admin', 'group_centre', 'branch_head', 'letter_staff'] as const

const newLetter = z.object({
  kind: z.enum(['progress', 'design_change', 'move_in']),
  projectId: bodyId,
  title: z.string().trim().min(2).max(100),
  body: z.string().trim().min(2).max(5000),
  buildingIds: z.array(bodyId).max(500).optional(),
  unitIds: z.array(bodyId).max(10_000).optional(),
})
type NewLetterBody = z.infer<typeof newLetter>

/**
 * A letter the caller may see and send: one of a project in their scope (a branch head: their branch).
 * Others' letters are "not found", and the attempt is audited.
 */
async function letterInScope(request: Request<unknown, unknown>): Promise<number> {
  const { staff, params, deps } = request
  const id = Number(params.id)
  const projectId = await letterProject(deps.dataSource, id)
  const scope = await scopeOf(deps.dataSource, staff)
  if (projectId === null || !(await canSeeProject(deps.dataSource, scope, projectId))) {
    await request.audit('letter.denied', 'letter', id)
    throw new ApiError(404, 'NOT_FOUND', 'No such letter')
  }
  return id
}

export function letterEndpoints(onQueued: () => void) {
  return [
    endpoint({
      method: 'post',
      path: '/letters',
      summary:
        'Draft a progress letter, design-change notice or move-in notice for a project, buildings or units',
      roles: LETTER_ROLES,
      body: newLetter,
      bodySpec: { limit: 1024 * 1024 }, // up to 10,000 unit ids
      async handle({ staff, body, deps, audit, ctx }: Request<unknown, NewLetterBody>) {
        const scope = await scopeOf(deps.dataSource, staff)
        if (!(await canSeeProject(deps.dataSource, scope, body.projectId))) {
          await audit('letter.create_denied', 'project', body.projectId)
          throw new ApiError(422, 'NO_SUCH_PROJECT', 'No project with this id in your scope')
        }
        // The audience must lie in the letter's project, or the letter silently reaches nobody.
        const foreign = await audienceOutsideProject(
          deps.dataSource,
          body.projectId,
          body.buildingIds ?? [],
          body.unitIds ?? [],
        )
        if (foreign > 0)
          throw new ApiError(
            422,
            'AUDIENCE_OUTSIDE_PROJECT',
            'Buildings and units must belong to the project',
          )
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
      async handle(request) {
        const { deps, audit, params } = request
        const id = await letterInScope(request)
        const result = await deps.dataSource.transaction((manager) => publishLetter(manager, id, deps.now()))
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
      async handle(request) {
        const letter = await letterProgress(request.deps.dataSource, await letterInScope(request))
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
        after: afterId,
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      async handle(request: Request<{ status?: string; after: number; limit: number }, undefined>) {
        const { query, deps } = request
        const id = await letterInScope(request)
        const items = await letterDeliveries(deps.dataSource, {
          letterId: id,
          after: query.after,
          status: query.status ?? null,
          limit: query.limit,
        })
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
  // Group-wide roles only: the outbox mixes every branch's owners; branch heads follow their own
  // letters through /letters/:id/deliveries, which carries the same hold reasons.
  roles: ['admin', 'group_centre', 'letter_staff'],
  query: z.object({
    status: z.enum(['held', 'pending', 'sending', 'dead']).optional(),
    channel: z.string().max(32).optional(),
    after: afterId,
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
  async handle({
    query,
    deps,
  }: Request<{ status?: string; channel?: string; after: number; limit: number }, undefined>) {
    const items = await waitingMessages(deps.dataSource, {
      after: query.after,
      status: query.status ?? null,
      channel: query.channel ?? null,
      limit: query.limit,
    })
    return { items, next: items.length === query.limit ? items[items.length - 1].id : null }
  },
})
