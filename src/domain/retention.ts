/**
 * How long personal data is kept, per kind, in days (PIPL: no longer than the purpose needs). Cases and
 * their events are the developer's business records and stay; the owner named in a closed case is
 * pseudonymised once `caseOwners` days have passed since it closed. The audit log is append-only (a
 * record of legal weight, refused updates by the database) and is kept whole: it holds ids and actions,
 * not what owners wrote.
 */
export interface RetentionPolicy {
  /** What owners wrote (text and media references in the inbox). */
  messages: number
  /** What was sent to owners and staff (outbox payloads), once delivered or given up. */
  outbox: number
  /** Owners' stored photos, voice, videos and files. */
  media: number
  /** Half-filled dialog state of conversations gone quiet. */
  dialogs: number
  /** The owner (and a non-owner reporter) named in a closed case. */
  caseOwners: number
}

export const RETENTION_KINDS = ['messages', 'outbox', 'media', 'dialogs', 'caseOwners'] as const
export type RetentionKind = (typeof RETENTION_KINDS)[number]

export const DEFAULT_RETENTION_DAYS: RetentionPolicy = {
  messages: 365,
  outbox: 180,
  media: 3 * 365,
  dialogs: 30,
  caseOwners: 5 * 365,
}

/** The instant before which data of a kind is removed. */
export function retentionCutoff(policy: RetentionPolicy, kind: RetentionKind, now: Date): Date {
  return new Date(now.getTime() - policy[kind] * 86_400_000)
}
