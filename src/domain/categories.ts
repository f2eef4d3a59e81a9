/**
 * The developer's complaint and repair categories (the `service_category` table, set through the API).
 * Pure rules over a category record: its warranty, and what choosing it means for a repair.
 */
export const CATEGORY_KINDS = ['repair', 'complaint'] as const
export type CategoryKind = (typeof CATEGORY_KINDS)[number]

export interface ServiceCategory {
  id: number
  kind: CategoryKind
  name: string
  /** Months from delivery; null for the deployment's WARRANTY_MONTHS (built-ins) or the statutory minimum. */
  warrantyMonths: number | null
  /** The legal floor of a built-in category (建设工程质量管理条例 art. 40); 0 for the developer's own. */
  statutoryMonths: number
  /** Major works get a second callback two months after closure. */
  majorWorks: boolean
  /** Choosing it makes a repair an emergency: the on-duty staff at any hour, no slot. */
  emergency: boolean
  active: boolean
  position: number
}

/** A repair category's warranty in months: its own, else the deployment's setting for its name, else the law's. */
export function warrantyMonthsOf(
  category: Pick<ServiceCategory, 'name' | 'warrantyMonths' | 'statutoryMonths'>,
  configured: Partial<Record<string, number>>,
): number {
  return category.warrantyMonths ?? configured[category.name] ?? category.statutoryMonths
}

/** Why a category change cannot be made, or null. */
export function categoryProblem(
  category: Pick<ServiceCategory, 'kind' | 'warrantyMonths' | 'statutoryMonths' | 'majorWorks' | 'emergency'>,
): string | null {
  if (
    category.kind === 'complaint' &&
    (category.warrantyMonths !== null || category.majorWorks || category.emergency)
  )
    return 'warranty, major works and emergency are for repair categories'
  if (category.warrantyMonths !== null && category.warrantyMonths < category.statutoryMonths)
    return `the law requires at least ${category.statutoryMonths} months for this category`
  return null
}
