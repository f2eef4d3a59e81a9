import type { EntityManager } from 'typeorm'
import { canSeeProject, canUseAmbassador, type StaffScope } from '../../db/access'
import { audit } from '../../db/case-store'
import {
  householdsOfStaff,
  moveRemainingOpenCases,
  retireStaff,
  insertProject,
  insertStaff,
  openRepairSlots,
  projectById,
  projectsWithRepairCapacity,
  setDaySlots,
  setRepairCapacity,
  updateProject,
  branchExists,
  type ProjectChange,
} from '../../db/organisation-queries'
import { scheduleTimer } from '../../db/timers'
import { appendCaseEvent } from '../../db/case-store'
import { copy } from '../../copy'
import { reassignHousehold } from '../households/assignment'
import { notifyStaff } from '../notifications/staff-notifications'
import type { TimerHandler } from '../../db/timer-sweep'
import {
  capacityProblem,
  daySlots,
  slotsToOpen,
  type CapacityWindow,
  type RepairCapacity,
} from '../../domain/repair-capacity'
import { shanghaiClock, shanghaiInstant, type WorkdayCalendar } from '../../domain/working-time'

export type OrganisationRefusal =
  | { error: 'ALREADY_EXISTS'; message: string }
  | { error: 'OUT_OF_SCOPE'; message: string }
  | { error: 'INVALID_TEMPLATE'; message: string }
  | { error: 'NO_TEMPLATE'; message: string }
  | { error: 'UNKNOWN_BUILDING'; message: string }
  | { error: 'UNKNOWN_BRANCH'; message: string }
  | { error: 'INVALID_CATEGORY'; message: string }

const refused = (error: OrganisationRefusal['error'], message: string) =>
  ({ error, message }) as OrganisationRefusal

/**
 * Projects: the group creates them in any branch; a branch head only in their own branch, and edits only
 * its projects (and cannot move one to another branch, which would take it out of their sight).
 */
export async function createProject(
  manager: EntityManager,
  scope: StaffScope,
  project: { code: string; name: string; city: string; branch: string; address: string },
  actor: string,
  now: Date,
): Promise<{ id: number } | OrganisationRefusal> {
  if (scope.kind === 'branch' && project.branch !== scope.branch)
    return refused('OUT_OF_SCOPE', 'A branch head creates projects in their own branch')
  if (!(await branchExists(manager, project.branch)))
    return refused('UNKNOWN_BRANCH', `No branch named ${project.branch} (POST /branches adds one)`)
  const id = await insertProject(manager, project)
  if (id === null) return refused('ALREADY_EXISTS', `A project with code ${project.code} exists`)
  await audit(manager, {
    actor,
    action: 'project.create',
    subjectType: 'project',
    subjectId: String(id),
    details: project,
    at: now,
  })
  return { id }
}

export async function editProject(
  manager: EntityManager,
  scope: StaffScope,
  id: number,
  change: ProjectChange,
  actor: string,
  now: Date,
): Promise<{ id: number } | OrganisationRefusal | null> {
  if (!(await projectById(manager, id)) || !(await canSeeProject(manager, scope, id))) return null
  if (change.onDutyStaffId !== undefined && !(await canUseAmbassador(manager, scope, change.onDutyStaffId)))
    return refused('OUT_OF_SCOPE', 'No such active staff member in your scope')
  if (scope.kind === 'branch' && change.branch !== undefined && change.branch !== scope.branch)
    return refused('OUT_OF_SCOPE', 'A branch head cannot move a project to another branch')
  if (change.branch !== undefined && !(await branchExists(manager, change.branch)))
    return refused('UNKNOWN_BRANCH', `No branch named ${change.branch} (POST /branches adds one)`)
  await updateProject(manager, id, change)
  await audit(manager, {
    actor,
    action: 'project.edit',
    subjectType: 'project',
    subjectId: String(id),
    details: change,
    at: now,
  })
  return { id }
}

/**
 * Staff records. Branch heads add ambassadors and supervisors to their branch's projects; the group adds
 * anyone. A supervisor must be someone the caller could hand work to.
 */
export async function createStaff(
  manager: EntityManager,
  scope: StaffScope,
  staff: {
    name: string
    wecomUserId: string
    phone: string
    role: 'ambassador' | 'supervisor' | 'branch_head' | 'group_centre'
    projectId: number | null
    supervisorId: number | null
  },
  actor: string,
  now: Date,
): Promise<{ id: number } | OrganisationRefusal> {
  if (scope.kind !== 'all') {
    if (staff.role === 'branch_head' || staff.role === 'group_centre')
      return refused('OUT_OF_SCOPE', 'Only the group adds branch heads and group-centre staff')
    if (staff.projectId === null) return refused('OUT_OF_SCOPE', 'Give the project in your branch')
  }
  if (staff.projectId !== null && !(await canSeeProject(manager, scope, staff.projectId)))
    return refused('OUT_OF_SCOPE', 'No such project in your scope')
  if (staff.supervisorId !== null && !(await canUseAmbassador(manager, scope, staff.supervisorId)))
    return refused('OUT_OF_SCOPE', 'No such supervisor in your scope')
  const id = await insertStaff(manager, staff)
  if (id === null) return refused('ALREADY_EXISTS', `Staff with WeCom account ${staff.wecomUserId} exist`)
  await audit(manager, {
    actor,
    action: 'staff.create',
    subjectType: 'staff',
    subjectId: String(id),
    details: staff,
    at: now,
  })
  return { id }
}

/**
 * A staff member leaves: every household they serve and every open case they hold moves to the successor
 * with a record each (首问负责制 keeps its chain), their team and the conversations they had taken over
 * follow, and the record becomes inactive so their tokens stop at once. The successor is told.
 */
export async function staffLeaves(
  manager: EntityManager,
  scope: StaffScope,
  staffId: number,
  successorId: number,
  actor: string,
  now: Date,
): Promise<{ households: number; cases: number; team: number } | OrganisationRefusal | null> {
  if (!(await canUseAmbassador(manager, scope, staffId))) return null
  if (successorId === staffId || !(await canUseAmbassador(manager, scope, successorId)))
    return refused('OUT_OF_SCOPE', 'The successor must be another active staff member in your scope')
  const reason = '离职交接'
  let cases = 0
  const households = await householdsOfStaff(manager, staffId)
  for (const householdId of households)
    cases += (await reassignHousehold(manager, householdId, successorId, reason, actor, now)).movedCases
  for (const c of await moveRemainingOpenCases(manager, staffId, successorId, now)) {
    await appendCaseEvent(manager, c.id, actor, 'reassigned', { from: staffId, to: successorId, reason }, now)
    cases += 1
  }
  const team = await retireStaff(manager, staffId, successorId)
  await audit(manager, {
    actor,
    action: 'staff.left',
    subjectType: 'staff',
    subjectId: String(staffId),
    details: { successorId, households: households.length, cases, team },
    at: now,
  })
  await notifyStaff(
    manager,
    successorId,
    copy.staff.handedOver({ households: households.length, cases, team }),
  )
  return { households: households.length, cases, team }
}

/** Sets a project's repair capacity template and opens its slots at once. */
export async function planRepairCapacity(
  manager: EntityManager,
  scope: StaffScope,
  projectId: number,
  template: RepairCapacity,
  calendar: WorkdayCalendar,
  actor: string,
  now: Date,
): Promise<{ opened: number } | OrganisationRefusal | null> {
  if (!(await projectById(manager, projectId)) || !(await canSeeProject(manager, scope, projectId)))
    return null
  const problem = capacityProblem(template)
  if (problem) return refused('INVALID_TEMPLATE', problem)
  await setRepairCapacity(manager, projectId, template)
  const opened = await openRepairSlots(manager, projectId, slotsToOpen(template, now, calendar))
  await audit(manager, {
    actor,
    action: 'project.repair_capacity',
    subjectType: 'project',
    subjectId: String(projectId),
    details: { ...template, opened },
    at: now,
  })
  return { opened }
}

/**
 * One day off the template (capacity exceptions): the team off (`windows` empty), other hours or more
 * visits, or a weekend worked; `null` returns the day to the template. A day already open is changed at
 * once — bookings are kept, and the answer says how many sit in slots the day no longer offers, for staff
 * to move. Later days take the exception when the nightly run opens them.
 */
export async function setCapacityException(
  manager: EntityManager,
  scope: StaffScope,
  projectId: number,
  ymd: string,
  windows: CapacityWindow[] | null,
  calendar: WorkdayCalendar,
  actor: string,
  now: Date,
): Promise<{ date: string; strandedBookings: number } | OrganisationRefusal | null> {
  const project = await projectById(manager, projectId)
  if (!project || !(await canSeeProject(manager, scope, projectId))) return null
  const template = project.repairCapacity
  if (!template) return refused('NO_TEMPLATE', 'set the project’s repair capacity first')
  if (ymd <= shanghaiClock(now).ymd)
    return refused('INVALID_TEMPLATE', 'only days from tomorrow on can change')
  const problem = windows ? capacityProblem({ windows }) : null
  if (problem) return refused('INVALID_TEMPLATE', problem)
  const exceptions = { ...(template.exceptions ?? {}) }
  if (windows) exceptions[ymd] = windows
  else delete exceptions[ymd]
  await setRepairCapacity(manager, projectId, { ...template, exceptions })
  // A day within the open horizon (daysAhead) changes now; the nightly run opens later ones as planned.
  const horizon = shanghaiClock(
    shanghaiInstant(shanghaiClock(now).ymd, 12 * 60 + template.daysAhead * 24 * 60),
  ).ymd
  const effective = windows ?? (calendar.isWorkday(ymd) ? template.windows : [])
  const { strandedBookings } =
    ymd <= horizon
      ? await setDaySlots(
          manager,
          projectId,
          { from: shanghaiInstant(ymd, 0), to: shanghaiInstant(ymd, 24 * 60) },
          daySlots(ymd, effective),
        )
      : { strandedBookings: 0 }
  await audit(manager, {
    actor,
    action: 'project.capacity_exception',
    subjectType: 'project',
    subjectId: String(projectId),
    details: { date: ymd, windows, strandedBookings },
    at: now,
  })
  return { date: ymd, strandedBookings }
}

export const REPAIR_SLOTS_TIMER = 'repair.slots'

/** Tomorrow 01:00 Shanghai: when the next day's slots are opened. */
export const nextSlotOpeningAt = (now: Date) =>
  shanghaiInstant(shanghaiClock(shanghaiInstant(shanghaiClock(now).ymd, 36 * 60)).ymd, 60)

/** Every night the templates open one more day ahead, so booking never runs dry without a person. */
export function repairSlotTimerHandlers(calendar: WorkdayCalendar): Record<string, TimerHandler> {
  return {
    async [REPAIR_SLOTS_TIMER](manager, timer, now) {
      for (const project of await projectsWithRepairCapacity(manager))
        await openRepairSlots(manager, project.id, slotsToOpen(project.repairCapacity, now, calendar))
      await scheduleTimer(manager, REPAIR_SLOTS_TIMER, timer.subject_key, nextSlotOpeningAt(now))
    },
  }
}
