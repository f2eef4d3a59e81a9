import { z } from 'zod'
import { canSeeHousehold, scopeOf } from '../../db/access'
import { ownerRecord } from '../../db/personal-data-queries'
import { normalizeMobile } from '../../domain/customer'
import {
  addOwner,
  anonymisePerson,
  correctOwnerRecord,
  endOwnerRelation,
  exportPersonalData,
  type OwnerRelationEnd,
} from '../../services/households/personal-data'
import { ApiError } from '../middleware/error-handler'
import { endpoint, type Request } from './endpoint'

/** Who keeps household files: the group, branch heads in their branch, ambassadors for their households. */
const FILE_KEEPERS = ['admin', 'group_centre', 'branch_head', 'ambassador'] as const
/** A copy of a person's data, or their deletion, is for the group and the branch, not a single ambassador. */
const DATA_OFFICERS = ['admin', 'group_centre', 'branch_head'] as const

const actor = (request: Request<unknown, unknown>) => `staff:${request.staff.tokenId}:${request.staff.name}`

const mobile = z
  .string()
  .trim()
  .transform(
    (value, ctx) =>
      normalizeMobile(value) ??
      (ctx.addIssue({ code: 'custom', message: 'expected an 11-digit mobile number' }), z.NEVER),
  )
const personName = z.string().trim().min(1).max(40)
const relation = z.string().trim().min(1).max(10)

/** The owner behind :id, when the caller may see their household; anyone else's reads as missing. */
async function visibleOwner(request: Request<unknown, unknown>) {
  const { dataSource } = request.deps
  const owner = await ownerRecord(dataSource, Number(request.params.id))
  const scope = await scopeOf(dataSource, request.staff)
  if (!owner || !(await canSeeHousehold(dataSource, scope, owner.householdId))) {
    await request.audit('owner.denied', 'owner', request.params.id)
    throw new ApiError(404, 'NOT_FOUND', 'No such owner')
  }
  return owner
}

/** A person's rights over their data (PIPL), and an owner's relation to a household. */
export const personalDataEndpoints = [
  endpoint({
    method: 'post',
    path: '/owners/:id/end',
    summary:
      'End an owner’s relation to the household (resale, moving out): their WeChat loses access at once',
    roles: FILE_KEEPERS,
    body: z.object({ reason: z.enum(['resale', 'moved_out', 'other']) }).strict(),
    async handle(request: Request<unknown, { reason: OwnerRelationEnd }>) {
      const owner = await visibleOwner(request)
      const ended = await request.deps.dataSource.transaction((manager) =>
        endOwnerRelation(manager, owner.id, request.body.reason, actor(request), request.deps.now()),
      )
      if (ended === 'ALREADY_ENDED')
        throw new ApiError(409, 'ALREADY_ENDED', 'This owner’s relation has already ended')
      return ended
    },
  }),

  endpoint({
    method: 'post',
    path: '/households/:id/owners',
    summary:
      'Add an owner to a household (the buyer after a resale, a family member); they bind with this phone',
    roles: FILE_KEEPERS,
    body: z.object({ name: personName, phone: mobile, relation: relation.default('本人') }).strict(),
    async handle(request: Request<unknown, { name: string; phone: string; relation: string }>) {
      const householdId = Number(request.params.id)
      const scope = await scopeOf(request.deps.dataSource, request.staff)
      if (!(await canSeeHousehold(request.deps.dataSource, scope, householdId)))
        throw new ApiError(404, 'NOT_FOUND', 'No such household')
      const added = await request.deps.dataSource.transaction((manager) =>
        addOwner(manager, { householdId, ...request.body }, actor(request), request.deps.now()),
      )
      if (added === 'DUPLICATE_PHONE')
        throw new ApiError(409, 'DUPLICATE_PHONE', 'This phone is already on the household file')
      request.ctx.status = 201
      return added
    },
  }),

  endpoint({
    method: 'patch',
    path: '/owners/:id',
    summary: 'Correct an owner’s name, phone or relation (a person’s request to correct their data)',
    roles: FILE_KEEPERS,
    body: z
      .object({ name: personName.optional(), phone: mobile.optional(), relation: relation.optional() })
      .strict()
      .refine((fields) => Object.keys(fields).length > 0, 'nothing to correct'),
    async handle(request: Request<unknown, { name?: string; phone?: string; relation?: string }>) {
      const owner = await visibleOwner(request)
      if (owner.anonymisedAt) throw new ApiError(409, 'ANONYMISED', 'This owner has been anonymised')
      const outcome = await request.deps.dataSource.transaction((manager) =>
        correctOwnerRecord(manager, owner.id, request.body, actor(request), request.deps.now()),
      )
      if (outcome === 'DUPLICATE_PHONE')
        throw new ApiError(409, 'DUPLICATE_PHONE', 'This phone is already on the household file')
      return { id: owner.id }
    },
  }),

  endpoint({
    method: 'get',
    path: '/owners/:id/export',
    summary:
      'Everything held about one person, as JSON with links to their media (a person’s request to see and copy)',
    roles: DATA_OFFICERS,
    async handle(request: Request<unknown, undefined>) {
      const owner = await visibleOwner(request)
      request.ctx.attachment(`owner-${owner.id}.json`)
      return request.deps.dataSource.transaction((manager) =>
        exportPersonalData(manager, owner.id, actor(request), request.deps.now()),
      )
    },
  }),

  endpoint({
    method: 'post',
    path: '/owners/:id/anonymise',
    summary:
      'Delete a person’s data as far as the law allows: name, phone, identities, messages and files; cases stay anonymised',
    roles: ['admin', 'group_centre'],
    async handle(request: Request<unknown, undefined>) {
      const owner = await visibleOwner(request)
      const keys = await request.deps.dataSource.transaction((manager) =>
        anonymisePerson(manager, owner.id, actor(request), request.deps.now()),
      )
      // Files go once the record no longer points to them; a failure here leaves an orphan file, not a link.
      const store = request.deps.media
      let filesDeleted = 0
      for (const key of keys) {
        await store?.delete(key).then(
          () => (filesDeleted += 1),
          () => undefined,
        )
      }
      return { id: owner.id, filesDeleted }
    },
  }),
]
