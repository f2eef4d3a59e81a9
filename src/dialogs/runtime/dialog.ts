import type { MediaRef, OutgoingMessage } from './messages'
import type { Parser } from './parse'

/** What an owner sends in one message: words, or a picture (with empty text). */
export interface OwnerInput {
  text: string
  media?: MediaRef
}

/** One recorded step of a dialog: an owner's input, or the result of an effect. */
export type LogEntry =
  { t: 'in'; text: string; media?: MediaRef; ok?: boolean } | { t: 'fx'; key: string; value: unknown }

/** What is persisted per conversation: enough to replay the dialog function to where it waits. */
export interface DialogState {
  id: string
  version: number
  log: LogEntry[]
}

export interface AskOptions {
  /** Said once before the numbered options or the question, e.g. a summary. */
  preface?: string
}

/**
 * The API a dialog is written against. Every call that touches the world (database, clock, randomness)
 * goes through `run`, whose result is recorded and replayed on later turns.
 */
export interface DialogContext {
  say(message: OutgoingMessage | string): void
  ask<T>(prompt: OutgoingMessage | string, parse: Parser<T>): Promise<T>
  choose<T>(prompt: string, options: readonly T[], label: (option: T) => string, footer?: string): Promise<T>
  confirm(prompt: string): Promise<boolean>
  /** Collects up to `max` pictures until the owner says they are done (or skips); returns them in order. */
  askPhotos(prompt: string, max: number): Promise<MediaRef[]>
  run<T>(key: string, effect: () => Promise<T>): Promise<T>
  /**
   * What the owner's opening sentence already said (a category, a description, a question), when the
   * dialog was started from one; null otherwise. Must be the dialog's first step.
   */
  seeded<T>(): Promise<T | null>
}

/** How a dialog ends: by finishing, or by handing the turn to another dialog (the menu does). */
export type DialogOutcome = void | { next: string }

export interface Dialog<Deps> {
  id: string
  /**
   * A soft dialog ends quietly when the owner writes something that is not an answer, and the message is
   * read afresh: 'understood' when the message was understood as something else (binding: a question
   * instead of a phone number), 'always' even when it was not (the menu, "did that help?").
   */
  soft?: 'understood' | 'always'
  /** Bump when steps change order: sessions of an older version restart politely instead of misreplaying. */
  version: number
  run(d: DialogContext, deps: Deps): Promise<DialogOutcome>
}

export function defineDialog<Deps>(
  meta: { id: string; version: number; soft?: 'understood' | 'always' },
  run: (d: DialogContext, deps: Deps) => Promise<DialogOutcome>,
): Dialog<Deps> {
  return { ...meta, run }
}
