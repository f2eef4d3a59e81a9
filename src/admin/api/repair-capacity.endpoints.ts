import { z } from 'zod'
import type { EntityManager } from 'typeorm'
import type { StaffScope } from '../../db/access'
import { canSeeProject, scopeOf } from '../../db/access'
import { listRepairTeams, projectById } from '../../db/organisation-queries'
import type { WorkdayCalendar } from '../../domain/working-time'
import {
  addTechnician,
  createRepairTeam,
  editRepairTeam,
  editTechnician,
  planRepairCapacity,
  projectCapacity,
  setCapacityException,
  teamCapacity,
  type CapacityHolder,
} from '../../services/organisation/repair-capacity'
import { calendarDate } from '../../services/calendar-date'
import { ApiError } from '../middleware/error-handler'
import { databaseId, endpoint, type Endpoint, type Request } from './endpoint'
import { ORGANISERS, organise } from './organisation.endpoints'

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00–23:59')

/** Visit windows of a day, each with how many visits fit in it (and, in a template, on which weekdays). */
const capacityWindows = z
  .array(
    z
      .object({
        start: hhmm,
        end: hhmm,
        capacity: z.number().int().min(0).max(500),
        /** ISO weekdays 1 (Monday) … 7 (Sunday); absent for every working day. */
        weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
      })
      .strict(),
  )
  .max(12)

const capacityBody = z.object({
  windows: capacityWindows.min(1),
  daysAhead: z.number().int().min(1).max(60).default(14),
})
type CapacityBody = z.infer<typeof capacityBody>

/** An id and a calendar date (Shanghai). */
const capacityDayParams = z.object({
  id: databaseId,
  date: calendarDate,
})

type HolderOf = (manager: EntityManager, scope: StaffScope, id: number) => Promise<CapacityHolder | null>

/** The template and its day exceptions, for whoever plans capacity: a project, or one of its repair teams. */
function capacityEndpoints(
  base: '/projects/:id' | '/repair-teams/:id',
  holderOf: HolderOf,
  missing: string,
  calendar: WorkdayCalendar,
): Endpoint[] {
  const withHolder =
    <T extends object>(
      change: (manager: EntityManager, holder: CapacityHolder, who: string, now: Date) => Promise<T>,
    ) =>
    (request: Request<unknown, unknown>) =>
      organise(request, missing, async (manager, scope, who, now) => {
        const holder = await holderOf(manager, scope, Number(request.params.id))
        return holder ? change(manager, holder, who, now) : null
      })
  const exception = (request: Request<unknown, unknown>, windows: CapacityBody['windows'] | null) =>
    withHolder((manager, holder, who, now) =>
      setCapacityException(manager, holder, request.params.date, windows, calendar, who, now),
    )(request)
  return [
    endpoint({
      method: 'put',
      path: `${base}/repair-capacity`,
      summary:
        'Visit windows on working days (capacity each, optionally on some weekdays), opened `daysAhead` days ahead; slots open at once and every night',
      roles: ORGANISERS,
      body: capacityBody,
      handle: (request: Request<unknown, CapacityBody>) =>
        withHolder((manager, holder, who, now) =>
          planRepairCapacity(manager, holder, request.body, calendar, who, now),
        )(request),
    }),
    endpoint({
      method: 'put',
      path: `${base}/repair-capacity/days/:date`,
      params: capacityDayParams,
      summary:
        'One day off the template: its windows (empty: the team is off), e.g. more visits, other hours, a weekend worked. Days already open change at once; bookings are kept and counted',
      roles: ORGANISERS,
      body: z.object({ windows: capacityWindows }).strict(),
      handle: (request: Request<unknown, { windows: CapacityBody['windows'] }>) =>
        exception(request, request.body.windows),
    }),
    endpoint({
      method: 'delete',
      path: `${base}/repair-capacity/days/:date`,
      params: capacityDayParams,
      summary: 'The day follows the template again',
      roles: ORGANISERS,
      handle: (request: Request<unknown, undefined>) => exception(request, null),
    }),
  ]
}

const teamBody = z.object({ name: z.string().trim().min(1).max(32) }).strict()
const technicianName = z.string().trim().min(1).max(32)
const technicianPhone = z.string().trim().max(32)
const technicianBody = z.object({ name: technicianName, phone: technicianPhone.default('') }).strict()
/** No defaults here: what a change leaves out stays as it is. */
const technicianChange = z
  .object({ name: technicianName, phone: technicianPhone, active: z.boolean() })
  .partial()
  .strict()

/** Repair capacity of projects and their repair teams, the teams and their technicians. */
export function repairCapacityEndpoints(calendar: WorkdayCalendar): Endpoint[] {
  return [
    ...capacityEndpoints('/projects/:id', projectCapacity, 'No such project', calendar),
    ...capacityEndpoints('/repair-teams/:id', teamCapacity, 'No such repair team', calendar),
    endpoint({
      method: 'get',
      path: '/projects/:id/repair-teams',
      summary: 'The project’s repair teams with their technicians and capacity templates',
      roles: ORGANISERS,
      async handle({ params, staff, deps }: Request<unknown, undefined>) {
        const projectId = Number(params.id)
        const scope = await scopeOf(deps.dataSource, staff)
        if (
          !(await projectById(deps.dataSource, projectId)) ||
          !(await canSeeProject(deps.dataSource, scope, projectId))
        )
          throw new ApiError(404, 'NOT_FOUND', 'No such project')
        return { items: await listRepairTeams(deps.dataSource, projectId) }
      },
    }),
    endpoint({
      method: 'post',
      path: '/projects/:id/repair-teams',
      summary: 'Add a repair team (维修组) to the project; its capacity is set like the project’s',
      roles: ORGANISERS,
      body: teamBody,
      async handle(request: Request<unknown, { name: string }>) {
        const outcome = await organise(request, 'No such project', (manager, scope, who, now) =>
          createRepairTeam(manager, scope, Number(request.params.id), request.body.name, who, now),
        )
        request.ctx.status = 201
        return outcome
      },
    }),
    endpoint({
      method: 'patch',
      path: '/repair-teams/:id',
      summary: 'Rename a repair team, or retire it (`active: false`: it opens no more slots)',
      roles: ORGANISERS,
      body: teamBody.partial().extend({ active: z.boolean().optional() }).strict(),
      handle: (request: Request<unknown, { name?: string; active?: boolean }>) =>
        organise(request, 'No such repair team', (manager, scope, who, now) =>
          editRepairTeam(manager, scope, Number(request.params.id), request.body, who, now),
        ),
    }),
    endpoint({
      method: 'patch',
      path: '/technicians/:id',
      summary: 'A technician’s name or phone, or their leaving (`active: false`: no more dispatches)',
      roles: ORGANISERS,
      body: technicianChange,
      handle: (request: Request<unknown, { name?: string; phone?: string; active?: boolean }>) =>
        organise(request, 'No such technician', (manager, scope, who, now) =>
          editTechnician(manager, scope, Number(request.params.id), request.body, who, now),
        ),
    }),
    endpoint({
      method: 'post',
      path: '/repair-teams/:id/technicians',
      summary:
        'Add a technician (维修师傅) to a team; staff send one to a repair with POST /cases/:caseNo/dispatch',
      roles: ORGANISERS,
      body: technicianBody,
      async handle(request: Request<unknown, { name: string; phone: string }>) {
        const outcome = await organise(request, 'No such repair team', (manager, scope, who, now) =>
          addTechnician(manager, scope, Number(request.params.id), request.body, who, now),
        )
        request.ctx.status = 201
        return outcome
      },
    }),
  ]
}
