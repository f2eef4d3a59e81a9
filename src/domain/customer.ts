/** Owner life stages (docs/service-rules.md). */
export const OWNER_STAGES = ['准业主', '磨合期', '稳定期', '老业主'] as const
export type OwnerStage = (typeof OWNER_STAGES)[number]

/** Greentown's three customer classes. */
export const CUSTOMER_CLASSES = ['业主', '意向客户', '潜在客户'] as const
export type CustomerClass = (typeof CUSTOMER_CLASSES)[number]

export const STAFF_ROLES = ['ambassador', 'supervisor', 'branch_head', 'group_centre'] as const
export type StaffRole = (typeof STAFF_ROLES)[number]

/** 138****5678: what staff without need-to-know see of a phone number. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '')
  if (digits.length < 7) return '*'.repeat(digits.length)
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`
}

/** Mainland mobile numbers, tolerant of spaces, dashes and a +86 prefix. Returns the 11 digits or null. */
export function normalizeMobile(input: string): string | null {
  const digits = input.replace(/[\s\-()（）]/g, '').replace(/^(\+?86)/, '')
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null
}
