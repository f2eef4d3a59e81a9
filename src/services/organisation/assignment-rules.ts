import type { EntityManager } from 'typeorm'
import { canSeeProject, canUseAmbassador, type StaffScope } from '../../db/access'
import {
  assignmentRuleById,
  buildingByName,
  deleteAssignmentRule,
  insertAssignmentRule,
} from '../../db/assignment-queries'
import { audit } from '../../db/case-store'
import { projectById } from '../../db/organisation-queries'
import type { OrganisationRefusal } from './organisation'

/**
 * Assignment rules say which ambassadors take a project's new households, or one building's: a household
 * is given the least-loaded ambassador of the rules for its building, else for its project, else any
 * ambassador of the project (src/services/households/assignment.ts). They apply to households assigned
 * from then on — at binding and import; households already held keep their ambassador until reassigned.
 */
export async function addAssignmentRule(
  manager: EntityManager,
  scope: StaffScope,
  rule: { ambassadorId: number; projectId: number; building: string | null },
  actor: string,
  now: Date,
): Promise<{ id: number } | OrganisationRefusal | null> {
  if (!(await projectById(manager, rule.projectId)) || !(await canSeeProject(manager, scope, rule.projectId)))
    return null
  if (!(await canUseAmbassador(manager, scope, rule.ambassadorId)))
    return { error: 'OUT_OF_SCOPE', message: 'No such active staff member in your scope' }
  const buildingId =
    rule.building === null ? null : await buildingByName(manager, rule.projectId, rule.building)
  if (rule.building !== null && buildingId === null)
    return { error: 'UNKNOWN_BUILDING', message: `The project has no building named ${rule.building}` }
  const id = await insertAssignmentRule(manager, { ...rule, buildingId })
  if (id === null) return { error: 'ALREADY_EXISTS', message: 'This rule exists already' }
  await audit(manager, {
    actor,
    action: 'assignment_rule.create',
    subjectType: 'project',
    subjectId: String(rule.projectId),
    details: { ruleId: id, ...rule },
    at: now,
  })
  return { id }
}

export async function removeAssignmentRule(
  manager: EntityManager,
  scope: StaffScope,
  id: number,
  actor: string,
  now: Date,
): Promise<{ id: number } | null> {
  const rule = await assignmentRuleById(manager, id)
  if (!rule || !(await canSeeProject(manager, scope, rule.projectId))) return null
  await deleteAssignmentRule(manager, id)
  await audit(manager, {
    actor,
    action: 'assignment_rule.delete',
    subjectType: 'project',
    subjectId: String(rule.projectId),
    details: rule,
    at: now,
  })
  return { id }
}
