import type { EntityManager } from 'typeorm'
import { canSeeProject, canUseAmbassador, type StaffScope } from '../../db/access'
import { audit } from '../../db/case-store'
import {
  householdsOfStaff,
  moveRemainingOpenCases,
  retireStaff,
  insertProject,
  insertStaff,
  projectById,
  updateProject,
  branchExists,
  type NewProject,
  type ProjectChange,
} from '../../db/organisation-queries'
import { appendCaseEvent } from '../../db/case-store'
import { copy } from '../../copy'
import { reassignHousehold } from '../households/assignment'
import { notifyStaff } from '../notifications/staff-notifications'

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
  project: NewProject,
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
