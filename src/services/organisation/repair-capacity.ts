import type { EntityManager } from 'typeorm'
import { canSeeProject, type StaffScope } from '../../db/access'
import { audit } from '../../db/case-store'
import {
  insertRepairTeam,
  insertTechnician,
  openRepairSlots,
  projectById,
  repairCapacityTemplates,
  repairTeamById,
  setDaySlots,
  setRepairCapacity,
  setTeamCapacity,
  technicianById,
  updateRepairTeam,
  updateTechnician,
  type SlotOwner,
} from '../../db/organisation-queries'
import type { TimerHandler } from '../../db/timer-sweep'
import { scheduleTimer } from '../../db/timers'
import {
  capacityProblem,
  daySlots,
  slotsToOpen,
  type CapacityWindow,
  type RepairCapacity,
} from '../../domain/repair-capacity'
import { shanghaiClock, shanghaiInstant, type WorkdayCalendar } from '../../domain/working-time'
import type { OrganisationRefusal } from './organisation'

/**
 * Who plans visit capacity: a project as a whole (one template for all its repairs), or each of its repair
 * teams (维修组) with a template of its own. Owners see one list of visit windows either way.
 */
export interface CapacityHolder {
  owner: SlotOwner
  template: RepairCapacity | null
  subject: { type: 'project' | 'repair_team'; id: number }
}

export async function projectCapacity(
  manager: EntityManager,
  scope: StaffScope,
  projectId: number,
): Promise<CapacityHolder | null> {
  const project = await projectById(manager, projectId)
  if (!project || !(await canSeeProject(manager, scope, projectId))) return null
  return {
    owner: { projectId, teamId: null },
    template: project.repairCapacity,
    subject: { type: 'project', id: projectId },
  }
}

export async function teamCapacity(
  manager: EntityManager,
  scope: StaffScope,
  teamId: number,
): Promise<CapacityHolder | null> {
  const team = await repairTeamById(manager, teamId)
  if (!team || !(await canSeeProject(manager, scope, team.projectId))) return null
  return {
    owner: { projectId: team.projectId, teamId },
    template: team.repairCapacity,
    subject: { type: 'repair_team', id: teamId },
  }
}

function saveTemplate(manager: EntityManager, holder: CapacityHolder, template: RepairCapacity) {
  return holder.owner.teamId === null
    ? setRepairCapacity(manager, holder.owner.projectId, template)
    : setTeamCapacity(manager, holder.owner.teamId, template)
}

/** Sets a capacity template and opens its slots at once. */
export async function planRepairCapacity(
  manager: EntityManager,
  holder: CapacityHolder,
  template: RepairCapacity,
  calendar: WorkdayCalendar,
  actor: string,
  now: Date,
): Promise<{ opened: number } | OrganisationRefusal> {
  const problem = capacityProblem(template)
  if (problem) return { error: 'INVALID_TEMPLATE', message: problem }
  await saveTemplate(manager, holder, template)
  const opened = await openRepairSlots(manager, holder.owner, slotsToOpen(template, now, calendar))
  await audit(manager, {
    actor,
    action: `${holder.subject.type}.repair_capacity`,
    subjectType: holder.subject.type,
    subjectId: String(holder.subject.id),
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
  holder: CapacityHolder,
  ymd: string,
  windows: CapacityWindow[] | null,
  calendar: WorkdayCalendar,
  actor: string,
  now: Date,
): Promise<{ date: string; strandedBookings: number } | OrganisationRefusal> {
  const template = holder.template
  if (!template) return { error: 'NO_TEMPLATE', message: 'set the repair capacity first' }
  if (ymd <= shanghaiClock(now).ymd)
    return { error: 'INVALID_TEMPLATE', message: 'only days from tomorrow on can change' }
  const problem = windows ? capacityProblem({ windows }) : null
  if (problem) return { error: 'INVALID_TEMPLATE', message: problem }
  const exceptions = { ...(template.exceptions ?? {}) }
  if (windows) exceptions[ymd] = windows
  else delete exceptions[ymd]
  await saveTemplate(manager, holder, { ...template, exceptions })
  // A day within the open horizon (daysAhead) changes now; the nightly run opens later ones as planned.
  const horizon = shanghaiClock(
    shanghaiInstant(shanghaiClock(now).ymd, 12 * 60 + template.daysAhead * 24 * 60),
  ).ymd
  const effective = windows ?? (calendar.isWorkday(ymd) ? template.windows : [])
  const { strandedBookings } =
    ymd <= horizon
      ? await setDaySlots(
          manager,
          holder.owner,
          { from: shanghaiInstant(ymd, 0), to: shanghaiInstant(ymd, 24 * 60) },
          daySlots(ymd, effective),
        )
      : { strandedBookings: 0 }
  await audit(manager, {
    actor,
    action: `${holder.subject.type}.capacity_exception`,
    subjectType: holder.subject.type,
    subjectId: String(holder.subject.id),
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
      for (const holder of await repairCapacityTemplates(manager))
        await openRepairSlots(manager, holder, slotsToOpen(holder.repairCapacity, now, calendar))
      await scheduleTimer(manager, REPAIR_SLOTS_TIMER, timer.subject_key, nextSlotOpeningAt(now))
    },
  }
}

/** A repair team of a project, in the caller's scope; its capacity is set like a project's. */
export async function createRepairTeam(
  manager: EntityManager,
  scope: StaffScope,
  projectId: number,
  name: string,
  actor: string,
  now: Date,
): Promise<{ id: number } | OrganisationRefusal | null> {
  if (!(await projectById(manager, projectId)) || !(await canSeeProject(manager, scope, projectId)))
    return null
  const id = await insertRepairTeam(manager, projectId, name)
  if (id === null) return { error: 'ALREADY_EXISTS', message: `The project has a team named ${name}` }
  await audit(manager, {
    actor,
    action: 'repair_team.create',
    subjectType: 'repair_team',
    subjectId: String(id),
    details: { projectId, name },
    at: now,
  })
  return { id }
}

export async function addTechnician(
  manager: EntityManager,
  scope: StaffScope,
  teamId: number,
  technician: { name: string; phone: string },
  actor: string,
  now: Date,
): Promise<{ id: number } | null> {
  const team = await repairTeamById(manager, teamId)
  if (!team || !(await canSeeProject(manager, scope, team.projectId))) return null
  const id = await insertTechnician(manager, teamId, technician)
  await audit(manager, {
    actor,
    action: 'technician.create',
    subjectType: 'repair_team',
    subjectId: String(teamId),
    details: { technicianId: id, ...technician },
    at: now,
  })
  return { id }
}

/** Renames a team, or retires it (a retired team opens no more slots; what it opened stays bookable). */
export async function editRepairTeam(
  manager: EntityManager,
  scope: StaffScope,
  teamId: number,
  change: { name?: string; active?: boolean },
  actor: string,
  now: Date,
): Promise<{ id: number } | OrganisationRefusal | null> {
  const team = await repairTeamById(manager, teamId)
  if (!team || !(await canSeeProject(manager, scope, team.projectId))) return null
  if (!(await updateRepairTeam(manager, teamId, change)))
    return { error: 'ALREADY_EXISTS', message: `The project has a team named ${change.name}` }
  await audit(manager, {
    actor,
    action: 'repair_team.edit',
    subjectType: 'repair_team',
    subjectId: String(teamId),
    details: change,
    at: now,
  })
  return { id: teamId }
}

/** A technician's name or phone, or their leaving (no more dispatches to them; their cases keep the name). */
export async function editTechnician(
  manager: EntityManager,
  scope: StaffScope,
  technicianId: number,
  change: { name?: string; phone?: string; active?: boolean },
  actor: string,
  now: Date,
): Promise<{ id: number } | null> {
  const technician = await technicianById(manager, technicianId)
  if (!technician || !(await canSeeProject(manager, scope, technician.projectId))) return null
  await updateTechnician(manager, technicianId, change)
  await audit(manager, {
    actor,
    action: 'technician.edit',
    subjectType: 'repair_team',
    subjectId: String(technician.teamId),
    details: { technicianId, ...change },
    at: now,
  })
  return { id: technicianId }
}
