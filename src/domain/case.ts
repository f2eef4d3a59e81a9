/** Case lifecycle: pure rules, no persistence. */

export const CASE_KINDS = ['complaint', 'repair', 'alert'] as const
export type CaseKind = (typeof CASE_KINDS)[number]

export const CASE_STATUSES = [
  'open',
  'accepted',
  'in_progress',
  'waiting_owner',
  'resolved',
  'closed',
  'reopened',
] as const
export type CaseStatus = (typeof CASE_STATUSES)[number]

export const COMPLAINT_CATEGORIES = [
  '工程质量',
  '物业服务',
  '销售承诺',
  '设计变更',
  '配套设施',
  '其他',
] as const
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number]

const TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  open: ['accepted', 'in_progress', 'waiting_owner', 'resolved', 'closed'],
  accepted: ['in_progress', 'waiting_owner', 'resolved', 'closed'],
  in_progress: ['waiting_owner', 'resolved', 'closed'],
  waiting_owner: ['in_progress', 'resolved', 'closed'],
  resolved: ['closed', 'reopened'],
  closed: ['reopened'],
  reopened: ['accepted', 'in_progress', 'waiting_owner', 'resolved', 'closed'],
}

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

export function isOpen(status: CaseStatus): boolean {
  return status !== 'resolved' && status !== 'closed'
}

const KIND_PREFIX: Record<CaseKind, string> = { complaint: 'TS', repair: 'BX', alert: 'YJ' }

/** The digits a case number's sequence is written with at least (more once it grows past them). */
export const CASE_NO_DIGITS = 4

/** A case number up to its sequence: kind prefix and Shanghai date, e.g. TS20261122-. */
export function caseNoPrefix(kind: CaseKind, createdAt: Date): string {
  const shanghai = new Date(createdAt.getTime() + 8 * 3600_000)
  const ymd = shanghai.toISOString().slice(0, 10).replace(/-/g, '')
  return `${KIND_PREFIX[kind]}${ymd}-`
}

/**
 * Owner-facing case number: kind prefix, Shanghai date and a sequence, e.g. TS20261122-0042.
 * Short enough to read out on the phone, unique because the sequence is global. (A case's row is
 * numbered by the database as it is inserted, from caseNoPrefix and CASE_NO_DIGITS; a test holds the
 * two to the same answers.)
 */
export function formatCaseNo(kind: CaseKind, createdAt: Date, sequence: number): string {
  return `${caseNoPrefix(kind, createdAt)}${String(sequence).padStart(CASE_NO_DIGITS, '0')}`
}
