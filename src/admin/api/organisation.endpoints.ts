import { z } from 'zod'
import type { EntityManager } from 'typeorm'
import { scopeOf, type StaffScope } from '../../db/access'
import { listBranches, listProjects, listStaff } from '../../db/organisation-queries'
import {
  createProject,
  createStaff,
  editProject,
  staffLeaves,
  type OrganisationRefusal,
} from '../../services/organisation/organisation'
import { serviceHoursText, slaPolicyOverrides } from '../../config'
import { listAssignmentRules } from '../../db/assignment-queries'
import { createBranch, renameBranchAsGroup } from '../../services/organisation/branches'
import { addAssignmentRule, removeAssignmentRule } from '../../services/organisation/assignment-rules'
import { calendarDate } from '../../services/calendar-date'
import { ApiError } from '../middleware/error-handler'
import { bodyId, databaseId, endpoint, type Request } from './endpoint'

/** Who sets up the organisation: the group everywhere, branch heads within their branch. */
export const ORGANISERS = ['admin', 'group_centre', 'branch_head'] as const

const actor = (request: Request<unknown, unknown>) => `staff:${request.staff.tokenId}:${request.staff.name}`

function refusal(outcome: OrganisationRefusal): ApiError {
  const status = outcome.error === 'ALREADY_EXISTS' ? 409 : outcome.error === 'OUT_OF_SCOPE' ? 403 : 422
  return new ApiError(status, outcome.error, outcome.message)
}

/**
 * One organisation change: in one transaction, with the caller's scope, as the caller. A refusal becomes
 * its HTTP answer; null (nothing of that id in scope) a 404 saying `missing`.
 */
export async function organise<T extends object>(
  request: Request<unknown, unknown>,
  missing: string,
  change: (
    manager: EntityManager,
    scope: StaffScope,
    actor: string,
    now: Date,
  ) => Promise<T | OrganisationRefusal | null>,
): Promise<T> {
  const scope = await scopeOf(request.deps.dataSource, request.staff)
  const outcome = await request.deps.dataSource.transaction((manager) =>
    change(manager, scope, actor(request), request.deps.now()),
  )
  if (outcome === null) throw new ApiError(404, 'NOT_FOUND', missing)
  if ('error' in outcome) throw refusal(outcome)
  return outcome
}

const text = (max: number) => z.string().trim().min(1).max(max)

const projectBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, - and _'),
  name: text(64),
  city: z.string().trim().max(32).default(''),
  branch: text(64),
  address: z.string().trim().max(200).default(''),
  /** When the project is (or was) handed over, YYYY-MM-DD. */
  deliveryDate: calendarDate.nullable().optional(),
})
type ProjectBody = z.infer<typeof projectBody>
const projectChange = projectBody
  .omit({ code: true })
  .partial()
  .extend({
    onDutyStaffId: bodyId.optional(),
    /** The project's desk hours; null returns it to BUSINESS_HOURS. */
    serviceHours: serviceHoursText.nullable().optional(),
    /** The policies the project sets differently (replacing what it set before); {} returns it to SLA_POLICIES. */
    slaPolicies: slaPolicyOverrides.optional(),
  })
  .strict()
type ProjectChange = z.infer<typeof projectChange>

const staffBody = z.object({
  name: text(64),
  wecomUserId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'the WeCom userid (通讯录 → 账号)'),
  phone: z.string().trim().max(32).default(''),
  role: z.enum(['ambassador', 'supervisor', 'branch_head', 'group_centre']),
  projectId: bodyId.nullable().default(null),
  supervisorId: bodyId.nullable().default(null),
})
type StaffBody = z.infer<typeof staffBody>

/** Who adds and renames branches: the group. */
export const GROUP = ['admin', 'group_centre'] as const

const branchBody = z.object({ name: z.string().trim().min(1).max(64) }).strict()

const assignmentRuleBody = z
  .object({
    ambassadorId: bodyId,
    projectId: bodyId,
    /** A building's name as in the customer file (3号楼, A座); null or absent for the whole project. */
    building: z.string().trim().min(1).max(64).nullable().default(null),
  })
  .strict()
type AssignmentRuleBody = z.infer<typeof assignmentRuleBody>

/** Setting up without SQL: branches, projects, staff (tokens: /tokens) and assignment rules. */
export function organisationEndpoints() {
  return [
    endpoint({
      method: 'get',
      path: '/projects',
      summary: 'Projects in scope, with branch, address and repair capacity template',
      roles: ORGANISERS,
      async handle({ staff, deps }: Request<unknown, undefined>) {
        return { items: await listProjects(deps.dataSource, await scopeOf(deps.dataSource, staff)) }
      },
    }),
    endpoint({
      method: 'post',
      path: '/projects',
      summary: 'Create a project (branch heads: in their own branch)',
      roles: ORGANISERS,
      body: projectBody,
      async handle(request: Request<unknown, ProjectBody>) {
        const outcome = await organise(request, 'Not found', (manager, scope, who, now) =>
          createProject(manager, scope, request.body, who, now),
        )
        request.ctx.status = 201
        return outcome
      },
    }),
    endpoint({
      method: 'patch',
      path: '/projects/:id',
      summary:
        'Edit a project: name, city, branch, address, delivery date, on-duty staff, service hours, SLA policies',
      roles: ORGANISERS,
      body: projectChange,
      async handle(request: Request<unknown, ProjectChange>) {
        const outcome = await organise(request, 'No such project', (manager, scope, who, now) =>
          editProject(manager, scope, Number(request.params.id), request.body, who, now),
        )
        return outcome
      },
    }),
    endpoint({
      method: 'get',
      path: '/staff',
      summary: 'Staff records in scope (the group: everyone; a branch head: the branch’s)',
      roles: ORGANISERS,
      async handle({ staff, deps }: Request<unknown, undefined>) {
        return { items: await listStaff(deps.dataSource, await scopeOf(deps.dataSource, staff)) }
      },
    }),
    endpoint({
      method: 'post',
      path: '/staff',
      summary:
        'Add a staff member by WeCom userid (branch heads: ambassadors and supervisors of their projects); issue their token with POST /tokens',
      roles: ORGANISERS,
      body: staffBody,
      async handle(request: Request<unknown, StaffBody>) {
        const outcome = await organise(request, 'Not found', (manager, scope, who, now) =>
          createStaff(manager, scope, request.body, who, now),
        )
        request.ctx.status = 201
        return outcome
      },
    }),
    endpoint({
      method: 'get',
      path: '/branches',
      summary: 'Branches (分公司) with their project count and head (a branch head: their own)',
      roles: ORGANISERS,
      async handle({ staff, deps }: Request<unknown, undefined>) {
        return { items: await listBranches(deps.dataSource, await scopeOf(deps.dataSource, staff)) }
      },
    }),
    endpoint({
      method: 'post',
      path: '/branches',
      summary: 'Add a branch; projects then name it',
      roles: GROUP,
      body: branchBody,
      async handle(request: Request<unknown, { name: string }>) {
        const outcome = await organise(request, 'Not found', (manager, scope, who, now) =>
          createBranch(manager, scope, request.body.name, who, now),
        )
        request.ctx.status = 201
        return outcome
      },
    }),
    endpoint({
      method: 'patch',
      path: '/branches/:id',
      summary: 'Rename a branch; its projects, branch heads’ scope and scores follow',
      roles: GROUP,
      body: branchBody,
      async handle(request: Request<unknown, { name: string }>) {
        return organise(request, 'No such branch', (manager, scope, who, now) =>
          renameBranchAsGroup(manager, scope, Number(request.params.id), request.body.name, who, now),
        )
      },
    }),
    endpoint({
      method: 'get',
      path: '/assignment-rules',
      summary: 'Which ambassadors take the new households of a project or one of its buildings',
      roles: ORGANISERS,
      query: z.object({ project: databaseId.optional() }),
      async handle({ query, staff, deps }: Request<{ project?: number }, undefined>) {
        const scope = await scopeOf(deps.dataSource, staff)
        return { items: await listAssignmentRules(deps.dataSource, scope, query.project ?? null) }
      },
    }),
    endpoint({
      method: 'post',
      path: '/assignment-rules',
      summary:
        'New households of the project (or of one building, by the name the customer file gives it) go to this ambassador, the least-loaded of several',
      roles: ORGANISERS,
      body: assignmentRuleBody,
      async handle(request: Request<unknown, AssignmentRuleBody>) {
        const outcome = await organise(request, 'No such project', (manager, scope, who, now) =>
          addAssignmentRule(manager, scope, request.body, who, now),
        )
        request.ctx.status = 201
        return outcome
      },
    }),
    endpoint({
      method: 'delete',
      path: '/assignment-rules/:id',
      summary: 'Remove an assignment rule (households already assigned keep their ambassador)',
      roles: ORGANISERS,
      async handle(request: Request<unknown, undefined>) {
        return organise(request, 'No such rule', (manager, scope, who, now) =>
          removeAssignmentRule(manager, scope, Number(request.params.id), who, now),
        )
      },
    }),
    endpoint({
      method: 'post',
      path: '/staff/:id/leave',
      summary:
        'A staff member leaves: households, open cases, team and taken-over conversations move to the successor with a record; their tokens stop',
      roles: ORGANISERS,
      body: z.object({ successorId: bodyId }),
      async handle(request: Request<unknown, { successorId: number }>) {
        const outcome = await organise(request, 'No such active staff member', (manager, scope, who, now) =>
          staffLeaves(manager, scope, Number(request.params.id), request.body.successorId, who, now),
        )
        request.deps.onQueued?.()
        return outcome
      },
    }),
  ]
}
