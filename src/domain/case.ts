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

/**
 * Owner-facing case number: kind prefix, Shanghai date and a sequence, e.g. TS20261122-0042.
 * Short enough to read out on the phone, unique because the sequence is global.
 */
export function formatCaseNo(kind: CaseKind, createdAt: Date, sequence: number): string {
  const shanghai = new Date(createdAt.getTime() + 8 * 3600_000)
  const ymd = shanghai.toISOString().slice(0, 10).replace(/-/g, '')
  return `${KIND_PREFIX[kind]}${ymd}-${String(sequence).padStart(4, '0')}`
}
