/**
 * A case's SLA state: one definition for the console, the API's filters, /metrics, the sidebar, staff
 * chat and the reports. A deadline that was met stays met — it is judged at the moment the reply (or
 * the dispatch) happened, not against the clock on the wall.
 */
export const SLA_STATES = ['met', 'breached', 'paused', 'due_soon', 'running'] as const
export type SlaState = (typeof SLA_STATES)[number]

/** Running cases whose deadline is this close are "due soon" (the ambassador's reminder lead). */
export const DUE_SOON_MINUTES = 240

export interface SlaFacts {
  replyDueAt: Date | null
  replyMetAt: Date | null
  slaPausedAt: Date | null
}

export function slaState(c: SlaFacts, now: Date): SlaState | null {
  if (!c.replyDueAt) return null
  if (c.replyMetAt) return c.replyMetAt <= c.replyDueAt ? 'met' : 'breached'
  if (c.slaPausedAt) return 'paused'
  if (c.replyDueAt < now) return 'breached'
  if (c.replyDueAt.getTime() < now.getTime() + DUE_SOON_MINUTES * 60_000) return 'due_soon'
  return 'running'
}

/**
 * The same rule in SQL, for filters and counts over many cases: case alias `c`, the instant as
 * parameter `$n`. test/unit/domain/sla-state.test.ts holds the two to the same answers.
 */
export const slaStateSql = (n: number, alias = 'c') => `CASE
  WHEN ${alias}.reply_due_at IS NULL THEN NULL
  WHEN ${alias}.reply_met_at IS NOT NULL THEN
    CASE WHEN ${alias}.reply_met_at <= ${alias}.reply_due_at THEN 'met' ELSE 'breached' END
  WHEN ${alias}.sla_paused_at IS NOT NULL THEN 'paused'
  WHEN ${alias}.reply_due_at < $${n}::timestamptz THEN 'breached'
  WHEN ${alias}.reply_due_at < $${n}::timestamptz + make_interval(mins => ${DUE_SOON_MINUTES}) THEN 'due_soon'
  ELSE 'running' END`
