import { z } from 'zod'
import { listCategories } from '../../db/category-queries'
import { CATEGORY_KINDS, type CategoryKind } from '../../domain/categories'
import { addCategory, editCategory, type CategoryChange } from '../../services/organisation/categories'
import { ALL_ROLES, endpoint, type Request } from './endpoint'
import { GROUP, organise } from './organisation.endpoints'

const name = z.string().trim().min(1).max(32)
const months = z.number().int().min(0).max(600)
const position = z.number().int().min(0).max(10_000)

const newCategory = z
  .object({
    kind: z.enum(CATEGORY_KINDS),
    name,
    /** Repairs: months of warranty from delivery; null for none beyond the law (0 for the developer's own). */
    warrantyMonths: months.nullable().default(null),
    majorWorks: z.boolean().default(false),
    emergency: z.boolean().default(false),
    position: position.default(500),
  })
  .strict()
type NewCategory = z.infer<typeof newCategory>

const categoryChange = z
  .object({
    name,
    warrantyMonths: months.nullable(),
    majorWorks: z.boolean(),
    emergency: z.boolean(),
    /** false retires it: owners no longer see it; its cases keep the name. */
    active: z.boolean(),
    position,
  })
  .partial()
  .strict()

/** The developer's complaint and repair categories: everyone in service reads them, the group keeps them. */
export const categoryEndpoints = [
  endpoint({
    method: 'get',
    path: '/categories',
    summary: 'Complaint and repair categories, in the order owners see them (retired ones on request)',
    roles: ALL_ROLES,
    query: z.object({
      kind: z.enum(CATEGORY_KINDS).optional(),
      includeRetired: z.enum(['true', 'false']).optional(),
    }),
    async handle({
      query,
      deps,
    }: Request<{ kind?: CategoryKind; includeRetired?: 'true' | 'false' }, undefined>) {
      return {
        items: await listCategories(deps.dataSource, {
          kind: query.kind,
          includeRetired: query.includeRetired === 'true',
        }),
      }
    },
  }),
  endpoint({
    method: 'post',
    path: '/categories',
    summary:
      'Add a category: a repair one with its warranty, major works (second callback) and emergency flags',
    roles: GROUP,
    body: newCategory,
    async handle(request: Request<unknown, NewCategory>) {
      const outcome = await organise(request, 'Not found', (manager, scope, who, now) =>
        addCategory(manager, scope, request.body, who, now),
      )
      request.ctx.status = 201
      return outcome
    },
  }),
  endpoint({
    method: 'patch',
    path: '/categories/:id',
    summary: 'Rename, re-order, retire or change a category’s warranty (never below the law) and flags',
    roles: GROUP,
    body: categoryChange,
    async handle(request: Request<unknown, CategoryChange>) {
      return organise(request, 'No such category', (manager, scope, who, now) =>
        editCategory(manager, scope, Number(request.params.id), request.body, who, now),
      )
    },
  }),
]
