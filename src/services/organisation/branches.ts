import type { EntityManager } from 'typeorm'
import type { StaffScope } from '../../db/access'
import { audit } from '../../db/case-store'
import { insertBranch, renameBranch } from '../../db/organisation-queries'
import type { OrganisationRefusal } from './organisation'

/**
 * Branches (分公司): the group's to add and rename. A branch head's scope and a branch's monthly score
 * follow its projects, which name their branch; a rename carries over to every project at once.
 */
export async function createBranch(
  manager: EntityManager,
  scope: StaffScope,
  name: string,
  actor: string,
  now: Date,
): Promise<{ id: number } | OrganisationRefusal> {
  if (scope.kind !== 'all') return { error: 'OUT_OF_SCOPE', message: 'Only the group adds branches' }
  const id = await insertBranch(manager, name)
  if (id === null) return { error: 'ALREADY_EXISTS', message: `A branch named ${name} exists` }
  await audit(manager, {
    actor,
    action: 'branch.create',
    subjectType: 'branch',
    subjectId: String(id),
    details: { name },
    at: now,
  })
  return { id }
}

export async function renameBranchAsGroup(
  manager: EntityManager,
  scope: StaffScope,
  id: number,
  name: string,
  actor: string,
  now: Date,
): Promise<{ id: number } | OrganisationRefusal | null> {
  if (scope.kind !== 'all') return { error: 'OUT_OF_SCOPE', message: 'Only the group renames branches' }
  const outcome = await renameBranch(manager, id, name)
  if (outcome === 'missing') return null
  if (outcome === 'taken') return { error: 'ALREADY_EXISTS', message: `A branch named ${name} exists` }
  await audit(manager, {
    actor,
    action: 'branch.rename',
    subjectType: 'branch',
    subjectId: String(id),
    details: { name },
    at: now,
  })
  return { id }
}
