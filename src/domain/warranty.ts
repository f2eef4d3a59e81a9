/**
 * Statutory minimum warranty periods (建设工程质量管理条例 art. 40), by built-in repair category, in months
 * from delivery. Operators may lengthen them (a developer often promises more); they may not be shortened.
 * These are the categories a new deployment starts with; the developer's own list is in the database
 * (src/domain/categories.ts).
 */
export const REPAIR_CATEGORIES = [
  '防水渗漏',
  '水电管线',
  '门窗五金',
  '墙地面装修',
  '供暖空调',
  '其他',
] as const
export type RepairCategory = (typeof REPAIR_CATEGORIES)[number]

export type WarrantyPeriods = Record<RepairCategory, number>

export const STATUTORY_WARRANTY_MONTHS: WarrantyPeriods = {
  防水渗漏: 60, // roofs, wet rooms, outer walls: 5 years
  水电管线: 24, // electrical lines, water pipes: 2 years
  门窗五金: 24, // equipment installation: 2 years
  墙地面装修: 24, // decoration: 2 years
  // Two heating/cooling seasons; counted as 24 months from delivery, which covers two of each.
  供暖空调: 24,
  // Not covered by a statutory period: paid unless the operator configures otherwise.
  其他: 0,
}

export type WarrantyStatus =
  | { covered: true; until: string }
  | { covered: false; reason: 'expired' | 'not_covered' | 'not_delivered'; until?: string }

function addMonths(ymd: string, months: number): string {
  const [y, m, d] = ymd.split('-').map(Number)
  const date = new Date(Date.UTC(y, m - 1 + months, d))
  return date.toISOString().slice(0, 10)
}

/**
 * In warranty (免费保修) or a paid repair (有偿维修), by the category's warranty in months from delivery
 * (or a built-in category's name, on the statutory or given periods). Dates are YYYY-MM-DD.
 */
export function warrantyFor(
  category: RepairCategory | { months: number },
  deliveredOn: string | null,
  today: string,
  periods: WarrantyPeriods = STATUTORY_WARRANTY_MONTHS,
): WarrantyStatus {
  if (!deliveredOn) return { covered: false, reason: 'not_delivered' }
  const months = typeof category === 'string' ? periods[category] : category.months
  if (months <= 0) return { covered: false, reason: 'not_covered' }
  const until = addMonths(deliveredOn, months)
  return today < until ? { covered: true, until } : { covered: false, reason: 'expired', until }
}
