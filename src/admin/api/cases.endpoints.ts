import { z } from 'zod'
import type { CaseClock } from '../../services/cases/case-clock'
import {
  caseDetail,
  contractorId,
  createContractor,
  decodeCursor,
  findCase,
  listCases,
  lockedEscalationLevel,
  setCaseContractor,
  type CaseRecord,
} from '../../db/case-queries'
import { CaseLifecycle } from '../../services/cases/case-lifecycle'
import { openCaseForIntake, type StaffOpenedCase } from '../../services/cases/staff-opened-cases'
import { recordCallbackAnswer } from '../../services/surveys/survey-services'
import { INTAKE_CHANNELS } from '../../domain/sla'
import type { SatisfactionScore } from '../../domain/satisfaction'
import { appendCaseEvent } from '../../db/case-store'
import { CASE_KINDS, CASE_STATUSES, type CaseStatus } from '../../domain/case'
import { SLA_STATES, type SlaState } from '../../domain/sla-state'
import { canSeeCase, canUseAmbassador, scopeOf } from '../../db/access'
import type { StaffPrincipal } from '../auth'
import { ApiError } from '../middleware/error-handler'
import { mediaViews } from '../../services/media/media-links'
import { latestConversationOfOwner } from '../../db/conversation-queries'
import { technicianOfProject } from '../../db/organisation-queries'
import { toCsv } from '../../services/reports/csv'
import { copy } from '../../copy'
import { formatShanghai } from '../../domain/working-time'
import { bodyId, databaseId, endpoint, queryDate, sendCsv, type Request } from './endpoint'

const listQuery = z.object({
  project: databaseId.optional(),
  /** One branch's cases (a branch head always sees only their own). */
  branch: z.string().trim().min(1).max(40).optional(),
  kind: z.enum(CASE_KINDS).optional(),
  status: z
    .string()
    .optional()
    .transform((value) => (value ? value.split(',') : undefined))
    .pipe(z.array(z.enum(CASE_STATUSES)).optional()),
  ambassador: databaseId.optional(),
  /** `unassigned=true`: the queue of cases nobody holds yet. */
  unassigned: z.enum(['true', 'false']).optional(),
  // One vocabulary (src/domain/sla-state.ts); overdue and on_time are the names of earlier versions.
  sla: z
    .enum([...SLA_STATES, 'overdue', 'on_time'])
    .transform((state): SlaState =>
      state === 'overdue' ? 'breached' : state === 'on_time' ? 'running' : state,
    )
    .optional(),
  from: queryDate.optional(),
  to: queryDate.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** csv: every matching case (up to CSV_MAX_ROWS) as a spreadsheet, the filters as for the list. */
  format: z.enum(['json', 'csv']).default('json'),
  cursor: z
    .string()
    .max(200)
    .refine((cursor) => decodeCursor(cursor) !== null, 'not a cursor this API gave out')
    .optional(),
})
type ListQuery = z.infer<typeof listQuery>

/** A spreadsheet export stops here; narrow the filters (a month, a project) for more. */
const CSV_MAX_ROWS = 10_000

/** Case numbers as this system writes them (TS20261123-0042); anything else names no case. */
const caseNoParams = z.object({ caseNo: z.string().regex(/^[A-Z]{2}\d{8}-\d{4,10}$/, 'a case number') })

/** A case the caller may see: ambassadors only their own. Others' cases are "not found", and audited. */
async function visibleCase(request: Request<unknown, unknown>): Promise<CaseRecord> {
  const { staff, params, deps } = request
  const found = await findCase(deps.dataSource, params.caseNo)
  const scope = await scopeOf(deps.dataSource, staff)
  if (!found || !(await canSeeCase(deps.dataSource, scope, found))) {
    await request.audit('case.denied', 'case', params.caseNo)
    throw new ApiError(404, 'NOT_FOUND', 'No such case')
  }
  return found
}

const actor = (staff: StaffPrincipal) => `staff:${staff.tokenId}:${staff.name}`

export function caseEndpoints(clock: CaseClock) {
  return [
    endpoint({
      method: 'get',
      path: '/cases',
      summary:
        'Cases, newest first, filtered and keyset-paginated (pass nextCursor back as cursor); format=csv exports every match',
      roles: ['admin', 'group_centre', 'branch_head', 'ambassador'],
      query: listQuery,
      async handle({ staff, query, deps, ctx, audit }: Request<ListQuery, undefined>) {
        const scope = await scopeOf(deps.dataSource, staff)
        const page = (cursor: string | undefined, limit: number) =>
          listCases(deps.dataSource, {
            projectId: query.project,
            kind: query.kind,
            status: query.status,
            ambassadorId: scope.kind === 'ambassador' ? scope.ambassadorId : query.ambassador,
            unassigned: query.unassigned === 'true',
            // A branch head's own branch always; others may narrow to one.
            ...(scope.kind === 'branch'
              ? { branch: scope.branch }
              : query.branch !== undefined
                ? { branch: query.branch }
                : {}),
            sla: query.sla,
            from: query.from,
            to: query.to,
            limit,
            cursor,
            now: deps.now(),
          })
        if (query.format === 'json') return page(query.cursor, query.limit)
        // The whole list, page by page through the same scoped query, for a spreadsheet.
        const rows: Awaited<ReturnType<typeof page>>['items'] = []
        let cursor = query.cursor
        do {
          const next = await page(cursor, 200)
          rows.push(...next.items)
          cursor = next.nextCursor ?? undefined
        } while (cursor && rows.length < CSV_MAX_ROWS)
        await audit('case.export', 'case', '*', { rows: rows.length })
        return sendCsv(
          ctx,
          'cases.csv',
          toCsv(
            rows.slice(0, CSV_MAX_ROWS).map((c) => ({
              case_no: c.caseNo,
              kind: copy.caseKinds[c.kind] ?? c.kind,
              category: c.category,
              status: copy.staffCaseStatuses[c.status] ?? c.status,
              owner: c.ownerName ?? '',
              ambassador: c.ambassadorName ?? '',
              created_at: formatShanghai(c.createdAt),
              reply_due_at: c.replyDueAt ? formatShanghai(c.replyDueAt) : '',
              sla: c.slaState ?? '',
              escalation_level: c.escalationLevel,
            })),
          ),
        )
      },
    }),

    endpoint({
      method: 'post',
      path: '/cases',
      summary:
        'Open a case for what came in elsewhere (hotline, walk-in, letter, email, property office, forum, public incident), on that intake’s clock',
      roles: ['admin', 'group_centre', 'branch_head', 'ambassador'],
      body: z
        .object({
          kind: z.enum(['complaint', 'repair']).default('complaint'),
          channel: z.enum(INTAKE_CHANNELS),
          category: z.string().trim().min(1).max(32),
          description: z.string().trim().min(2).max(2000),
          householdId: bodyId.optional(),
          projectId: bodyId.optional(),
          reporter: z
            .object({ name: z.string().trim().min(1).max(64), phone: z.string().trim().max(32).optional() })
            .optional(),
          major: z.boolean().default(false),
        })
        .refine((body) => body.householdId !== undefined || body.projectId !== undefined, {
          message: 'a household (an owner on file) or a project (anyone else)',
        }),
      async handle(request: Request<unknown, StaffOpenedCase>) {
        const scope = await scopeOf(request.deps.dataSource, request.staff)
        const outcome = await request.deps.dataSource.transaction((manager) =>
          openCaseForIntake(
            manager,
            request.body,
            { ambassadorId: request.staff.ambassadorId, actor: actor(request.staff), scope },
            clock,
            request.deps.now(),
          ),
        )
        if (!outcome.ok) throw new ApiError(422, outcome.error, 'No such household or project in your scope')
        await request.audit('case.open', 'case', outcome.caseNo, { channel: request.body.channel })
        request.deps.onQueued?.()
        request.ctx.status = 201
        return { caseNo: outcome.caseNo, replyDueAt: outcome.replyDueAt }
      },
    }),

    endpoint({
      method: 'post',
      path: '/cases/:caseNo/callbacks',
      summary:
        'Record a callback made by phone: the owner’s score (1–5) and comment; a poor score reopens the case',
      roles: ['admin', 'group_centre', 'branch_head', 'ambassador'],
      params: caseNoParams,
      body: z.object({
        score: z.number().int().min(1).max(5),
        comment: z.string().trim().max(500).optional(),
        round: z.union([z.literal(1), z.literal(2)]).default(1),
      }),
      async handle(request: Request<unknown, { score: number; comment?: string; round: 1 | 2 }>) {
        const found = await visibleCase(request)
        if (found.status !== 'resolved' && found.status !== 'closed')
          throw new ApiError(409, 'NOT_CLOSED', 'Callbacks follow closure')
        const result = await request.deps.dataSource.transaction((manager) =>
          recordCallbackAnswer(manager, clock, request.deps.now(), {
            caseId: found.id,
            ambassadorId: found.ambassador_id,
            ownerId: found.owner_id,
            actor: actor(request.staff),
            via: 'phone',
            round: request.body.round,
            score: request.body.score as SatisfactionScore,
            comment: request.body.comment ?? null,
          }),
        )
        if (!result.recorded)
          throw new ApiError(409, 'ALREADY_ANSWERED', 'This callback round was answered before')
        await request.audit('case.callback', 'case', found.case_no, { score: request.body.score })
        request.deps.onQueued?.()
        return { caseNo: found.case_no, ...result }
      },
    }),

    endpoint({
      method: 'get',
      path: '/cases/:caseNo',
      params: caseNoParams,
      summary: 'One case with its full event history',
      roles: ['admin', 'group_centre', 'branch_head', 'ambassador'],
      async handle(request) {
        const found = await visibleCase(request)
        await request.audit('case.read', 'case', found.case_no)
        const detail = await caseDetail(request.deps.dataSource, found.id, request.deps.now())
        // The owner's photos as kept (links valid a few minutes), not the channel's expiring references.
        const refs: string[] = Array.isArray(detail.attachments) ? detail.attachments : []
        const views = await mediaViews(request.deps.dataSource, refs, request.deps.now())
        // The owner's conversation, for the case view's transcript (visible under the same household scope).
        const conversationId = await latestConversationOfOwner(request.deps.dataSource, found.owner_id)
        return {
          ...detail,
          conversationId,
          media: refs.map((ref) => views.get(ref) ?? { status: 'unknown', url: null }),
        }
      },
    }),

    endpoint({
      method: 'post',
      path: '/cases/:caseNo/assign',
      params: caseNoParams,
      summary: 'Assign the case to an ambassador (with a record in its history)',
      roles: ['admin', 'group_centre', 'branch_head'],
      body: z.object({ ambassadorId: bodyId }),
      async handle(request: Request<unknown, { ambassadorId: number }>) {
        const found = await visibleCase(request)
        // To a staff member the caller may direct: a branch head keeps work inside the branch.
        const scope = await scopeOf(request.deps.dataSource, request.staff)
        if (!(await canUseAmbassador(request.deps.dataSource, scope, request.body.ambassadorId))) {
          await request.audit('case.assign_denied', 'case', found.case_no, { to: request.body.ambassadorId })
          throw new ApiError(422, 'NO_SUCH_AMBASSADOR', 'No active ambassador with this id')
        }
        const outcome = await request.deps.dataSource.transaction(async (manager) => {
          const locked = (await findCase(manager, found.case_no, true)) as CaseRecord
          return new CaseLifecycle(manager, clock, request.deps.now()).assign(
            locked,
            request.body.ambassadorId,
            actor(request.staff),
            { by: request.staff.name },
          )
        })
        if (outcome !== 'ok') throw new ApiError(409, 'CASE_CLOSED', 'A closed case is not reassigned')
        await request.audit('case.assign', 'case', request.params.caseNo, { to: request.body.ambassadorId })
        return { caseNo: request.params.caseNo, ambassadorId: request.body.ambassadorId }
      },
    }),

    endpoint({
      method: 'post',
      path: '/cases/:caseNo/dispatch',
      params: caseNoParams,
      summary:
        'Send a technician of one of the project’s repair teams to a repair (派工): meets the dispatch clock, tells the owner who comes',
      roles: ['admin', 'group_centre', 'branch_head', 'ambassador'],
      body: z.object({ technicianId: bodyId }).strict(),
      async handle(request: Request<unknown, { technicianId: number }>) {
        const found = await visibleCase(request)
        const outcome = await request.deps.dataSource.transaction(async (manager) => {
          const technician = await technicianOfProject(manager, found.project_id, {
            id: request.body.technicianId,
          })
          if (!technician) return 'NO_TECHNICIAN' as const
          const locked = (await findCase(manager, found.case_no, true)) as CaseRecord
          const done = await new CaseLifecycle(manager, clock, request.deps.now()).dispatch(
            locked,
            technician,
            actor(request.staff),
          )
          return done === 'ok' ? technician : done
        })
        if (outcome === 'NO_TECHNICIAN')
          throw new ApiError(422, 'NO_SUCH_TECHNICIAN', 'No active technician of this project’s repair teams')
        if (outcome === 'BAD_STATE')
          throw new ApiError(409, 'NOT_AN_OPEN_REPAIR', 'Only an open repair is dispatched')
        await request.audit('case.dispatch', 'case', found.case_no, { technicianId: outcome.id })
        return { caseNo: found.case_no, technician: outcome }
      },
    }),

    endpoint({
      method: 'post',
      path: '/cases/:caseNo/transition',
      params: caseNoParams,
      summary: 'Move the case to another status (the lifecycle decides which moves are allowed)',
      roles: ['admin', 'group_centre', 'branch_head', 'ambassador'],
      body: z.object({ status: z.enum(CASE_STATUSES), note: z.string().trim().min(1).max(1000).optional() }),
      async handle(request: Request<unknown, { status: CaseStatus; note?: string }>) {
        const found = await visibleCase(request)
        const outcome = await request.deps.dataSource.transaction(async (manager) => {
          const locked = (await findCase(manager, found.case_no, true)) as CaseRecord
          return new CaseLifecycle(manager, clock, request.deps.now()).transition(
            locked,
            request.body.status,
            request.body.note ?? null,
            actor(request.staff),
          )
        })
        if (outcome === 'BAD_STATE') {
          throw new ApiError(
            409,
            'BAD_TRANSITION',
            `a ${found.status} case cannot become ${request.body.status}`,
          )
        }
        await request.audit('case.transition', 'case', found.case_no, {
          from: found.status,
          to: request.body.status,
        })
        return { caseNo: found.case_no, status: request.body.status }
      },
    }),

    endpoint({
      method: 'post',
      path: '/cases/:caseNo/escalate',
      params: caseNoParams,
      summary: 'Escalate the case to the group customer-relations centre (重大或久拖未决), with the reason',
      roles: ['admin', 'group_centre', 'branch_head', 'ambassador'],
      body: z.object({ reason: z.string().trim().min(2).max(500) }).strict(),
      async handle(request: Request<unknown, { reason: string }>) {
        const found = await visibleCase(request)
        const outcome = await request.deps.dataSource.transaction(async (manager) => {
          if ((await lockedEscalationLevel(manager, found.id)) >= 2) return 'ALREADY' as const
          await new CaseLifecycle(manager, clock, request.deps.now()).escalate(
            found,
            2,
            actor(request.staff),
            'escalated',
            {
              reason: request.body.reason,
              to: 'group',
              by: request.staff.name,
              source: 'staff',
            },
          )
          return 'ok' as const
        })
        if (outcome === 'ALREADY')
          throw new ApiError(409, 'ALREADY_ESCALATED', 'The group centre already has this case')
        await request.audit('case.escalate', 'case', found.case_no, { reason: request.body.reason })
        return { caseNo: found.case_no, escalationLevel: 2 }
      },
    }),

    endpoint({
      method: 'post',
      path: '/cases/:caseNo/notes',
      params: caseNoParams,
      summary: 'Add an internal note to the case history',
      roles: ['admin', 'group_centre', 'branch_head', 'ambassador'],
      body: z.object({ note: z.string().trim().min(1).max(2000) }),
      async handle(request: Request<unknown, { note: string }>) {
        const found = await visibleCase(request)
        await appendCaseEvent(
          request.deps.dataSource.manager,
          found.id,
          actor(request.staff),
          'staff_note',
          { note: request.body.note },
          request.deps.now(),
        )
        await request.audit('case.note', 'case', found.case_no)
        return { caseNo: found.case_no }
      },
    }),

    endpoint({
      method: 'post',
      path: '/cases/:caseNo/contractor',
      params: caseNoParams,
      summary: 'Name the contractor doing a repair (scored by the owners’ callbacks)',
      roles: ['admin', 'group_centre', 'branch_head', 'ambassador'],
      body: z.object({ contractor: z.string().trim().min(1).max(64) }),
      async handle(request: Request<unknown, { contractor: string }>) {
        const found = await visibleCase(request)
        const contractor = await contractorId(request.deps.dataSource, request.body.contractor)
        if (contractor === null)
          throw new ApiError(422, 'NO_SUCH_CONTRACTOR', 'Register the contractor first')
        await setCaseContractor(request.deps.dataSource, found.id, contractor)
        await appendCaseEvent(
          request.deps.dataSource.manager,
          found.id,
          actor(request.staff),
          'contractor',
          { contractor: request.body.contractor },
          request.deps.now(),
        )
        await request.audit('case.contractor', 'case', found.case_no, { contractor: request.body.contractor })
        return { caseNo: found.case_no, contractor: request.body.contractor }
      },
    }),

    endpoint({
      method: 'post',
      path: '/contractors',
      summary: 'Register a contractor with the contract value its reward or penalty is a share of',
      roles: ['admin'],
      body: z.object({
        name: z.string().trim().min(1).max(64),
        contractValue: z.number().nonnegative().max(1e12),
      }),
      async handle(request: Request<unknown, { name: string; contractValue: number }>) {
        const row = await createContractor(request.deps.dataSource, request.body)
        await request.audit('contractor.create', 'contractor', row.id, request.body)
        request.ctx.status = 201
        return row
      },
    }),
  ]
}
