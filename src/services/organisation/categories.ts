import type { EntityManager } from 'typeorm'
import type { StaffScope } from '../../db/access'
import { audit } from '../../db/case-store'
import { categoryById, categoryByName, insertCategory, updateCategory } from '../../db/category-queries'
import { categoryProblem, type CategoryKind, type ServiceCategory } from '../../domain/categories'
import type { OrganisationRefusal } from './organisation'

export type CategoryChange = Partial<
  Pick<ServiceCategory, 'name' | 'warrantyMonths' | 'majorWorks' | 'emergency' | 'active' | 'position'>
>

/**
 * The developer's categories are the group's to keep: owners choose from them in chat, repairs take their
 * warranty, major works their second callback and emergencies the on-duty staff. A category is retired,
 * never deleted, because cases keep its name.
 */
export async function addCategory(
  manager: EntityManager,
  scope: StaffScope,
  category: { kind: CategoryKind } & Required<Omit<CategoryChange, 'active'>>,
  actor: string,
  now: Date,
): Promise<{ id: number } | OrganisationRefusal> {
  if (scope.kind !== 'all') return { error: 'OUT_OF_SCOPE', message: 'Only the group keeps the categories' }
  const problem = categoryProblem({ ...category, statutoryMonths: 0 })
  if (problem) return { error: 'INVALID_CATEGORY', message: problem }
  const id = await insertCategory(manager, category)
  if (id === null)
    return { error: 'ALREADY_EXISTS', message: `A ${category.kind} category named ${category.name} exists` }
  await audit(manager, {
    actor,
    action: 'category.create',
    subjectType: 'category',
    subjectId: String(id),
    details: category,
    at: now,
  })
  return { id }
}

export async function editCategory(
  manager: EntityManager,
  scope: StaffScope,
  id: number,
  change: CategoryChange,
  actor: string,
  now: Date,
): Promise<{ id: number } | OrganisationRefusal | null> {
  if (scope.kind !== 'all') return { error: 'OUT_OF_SCOPE', message: 'Only the group keeps the categories' }
  const current = await categoryById(manager, id)
  if (!current) return null
  const next: ServiceCategory = { ...current, ...change }
  const problem = categoryProblem(next)
  if (problem) return { error: 'INVALID_CATEGORY', message: problem }
  if (next.name !== current.name && (await categoryByName(manager, next.kind, next.name)))
    return { error: 'ALREADY_EXISTS', message: `A ${next.kind} category named ${next.name} exists` }
  await updateCategory(manager, next)
  await audit(manager, {
    actor,
    action: 'category.edit',
    subjectType: 'category',
    subjectId: String(id),
    details: change,
    at: now,
  })
  return { id }
}
