import type { DialogState } from '../dialogs/runtime/dialog'

/**
 * A bound owner's conversation as this process last read or wrote it, so that the next turn can be
 * computed before the database is asked anything. It is a guess, never trusted: the turn's one
 * statement (OPTIMISTIC_TURN) applies only if the row is still at `version` and the owner still the same.
 */
export interface KnownConversation {
  id: number
  channel: string
  external_id: string
  dialog: DialogState | null
  dialog_expires_at: Date | null
  owner_id: number
  owner_name: string
  household_id: number
  ambassador_id: number | null
  ambassador_name: string | null
  ambassador_phone: string | null
  ambassador_wecom_user_id: string | null
  /** The row's xmin when it was read or written: any later write to the row changes it. */
  version: string
}

/**
 * The conversations of the owners writing now, least recently used dropped first. Wrong entries cost
 * one wasted statement (the turn then takes the locking path, which writes the entry again), so there
 * is nothing to invalidate across instances; the process forgets an entry whose statement missed.
 * Bounded because an entry holds a dialog's log (a form with its description: a few kilobytes): 5,000
 * owners mid-form is some 25 MB; an owner beyond them is served by the locking path, as before.
 */
export class KnownConversations {
  private readonly entries = new Map<string, KnownConversation>()

  constructor(private readonly capacity = 5_000) {}

  get(channel: string, externalId: string): KnownConversation | undefined {
    const key = keyOf(channel, externalId)
    const known = this.entries.get(key)
    if (known) {
      // Map keeps insertion order: re-inserting marks the entry as the most recently used.
      this.entries.delete(key)
      this.entries.set(key, known)
    }
    return known
  }

  remember(known: KnownConversation): void {
    const key = keyOf(known.channel, known.external_id)
    this.entries.delete(key)
    this.entries.set(key, known)
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string)
  }

  forget(channel: string, externalId: string): void {
    this.entries.delete(keyOf(channel, externalId))
  }

  get size(): number {
    return this.entries.size
  }
}

function keyOf(channel: string, externalId: string): string {
  return `${channel}\u0000${externalId}`
}
