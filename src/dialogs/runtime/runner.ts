import { copy } from '../../copy'
import type { Dialog, DialogContext, DialogState, LogEntry, OwnerInput } from './dialog'
import { text, type MediaRef, type OutgoingMessage } from './messages'
import { accept, choiceIndex, normalizeInput, reject, type Parser } from './parse'

/** Thrown to stop the replay where the dialog waits for the owner's next input. */
class Suspend {}
/** Thrown when an owner has failed one question too often. */
class GaveUp {}
/** The recorded log no longer fits the dialog's code: restart rather than misreplay. */
export class ReplayMismatch extends Error {}

export interface TurnResult {
  outgoing: OutgoingMessage[]
  /** null when the dialog has ended. */
  state: DialogState | null
  outcome: 'waiting' | 'finished' | 'gave-up'
  next?: string
  /** Whether the dialog took the turn's input as an answer (false: it asked again); null without input. */
  inputAccepted: boolean | null
  /** The kind of step that refused the input: free text (the owner tried to answer) or a choice. */
  refusedBy?: StepKind
}

/** Free text, a numbered choice, a yes/no, or photos. */
export type StepKind = 'text' | 'choice' | 'confirm' | 'photos'

export interface TurnOptions {
  maxTries: number
}

/**
 * Runs one turn of a dialog by replaying its function over the recorded log. Messages are only emitted
 * once the replay has passed everything that earlier turns already said, so a turn says each thing once.
 */
export async function runTurn<Deps>(
  dialog: Dialog<Deps>,
  previous: DialogState | null,
  input: OwnerInput | null,
  deps: Deps,
  options: TurnOptions,
): Promise<TurnResult> {
  const log: LogEntry[] = previous ? structuredClone(previous.log) : []
  if (input !== null)
    log.push(input.media ? { t: 'in', text: input.text, media: input.media } : { t: 'in', text: input.text })
  // With a new input, what precedes it was said in earlier turns; without one (start, 帮助, 返回)
  // the replay goes live where the log ends, which re-asks the pending question.
  const liveFrom = input !== null ? log.length : previous ? log.length : 0
  const inputEntry = input !== null ? (log[log.length - 1] as Extract<LogEntry, { t: 'in' }>) : null
  const accepted = () => (inputEntry ? (inputEntry.ok ?? null) : null)
  const context = new ReplayContext(log, liveFrom, options.maxTries)
  try {
    const outcome = await dialog.run(context, deps)
    return {
      outgoing: context.outgoing,
      state: null,
      outcome: 'finished',
      next: outcome?.next,
      inputAccepted: accepted(),
    }
  } catch (error) {
    if (error instanceof Suspend) {
      return {
        outgoing: context.outgoing,
        state: { id: dialog.id, version: dialog.version, log },
        outcome: 'waiting',
        inputAccepted: accepted(),
        refusedBy: context.refusedBy,
      }
    }
    if (error instanceof GaveUp) {
      return {
        outgoing: [...context.outgoing, text(copy.tooManyTries)],
        state: null,
        outcome: 'gave-up',
        inputAccepted: false,
        refusedBy: context.refusedBy,
      }
    }
    throw error
  }
}

/** The effect key under which a dialog started from a free sentence finds what was understood. */
const UNDERSTOOD = 'understood'

/** A dialog's state before its first turn, holding what the owner's opening sentence already said. */
export function seededState(dialog: { id: string; version: number }, seed: unknown): DialogState {
  return { id: dialog.id, version: dialog.version, log: [{ t: 'fx', key: UNDERSTOOD, value: seed }] }
}

/** Whether the dialog still rests on a guess from the opening sentence, with nothing answered since. */
export function restsOnGuess(state: DialogState): boolean {
  const [first] = state.log
  return (
    first?.t === 'fx' &&
    first.key === UNDERSTOOD &&
    first.value !== null &&
    !state.log.some((entry) => entry.t === 'in' && entry.ok)
  )
}

/** Forgets the guess (不对): the dialog starts again and asks what it had taken from the sentence. */
export function forgetGuess(state: DialogState): DialogState {
  return seededState(state, null)
}

/**
 * 返回: forget the last accepted answer (and what followed it) so that its question is asked again. With
 * no answer to forget, a guess from the opening sentence is forgotten instead.
 */
export function stepBack(state: DialogState): DialogState {
  if (restsOnGuess(state)) return forgetGuess(state)
  const log = [...state.log]
  while (log.length > 0) {
    const entry = log.pop() as LogEntry
    if (entry.t === 'in' && entry.ok) break
  }
  // Failed tries at that same question go too, so the owner gets a fresh count.
  while (log.length > 0) {
    const last = log[log.length - 1]
    if (last.t !== 'in' || last.ok) break
    log.pop()
  }
  return { ...state, log }
}

class ReplayContext implements DialogContext {
  readonly outgoing: OutgoingMessage[] = []
  refusedBy?: StepKind
  private cursor = 0

  constructor(
    private readonly log: LogEntry[],
    private readonly liveFrom: number,
    private readonly maxTries: number,
  ) {}

  private get live(): boolean {
    return this.cursor >= this.liveFrom
  }

  say(message: OutgoingMessage | string): void {
    if (this.live) this.outgoing.push(typeof message === 'string' ? text(message) : message)
  }

  ask<T>(prompt: OutgoingMessage | string, parse: Parser<T>): Promise<T> {
    return this.step(prompt, parse, 'text')
  }

  private async step<T>(prompt: OutgoingMessage | string, parse: Parser<T>, kind: StepKind): Promise<T> {
    const question = typeof prompt === 'string' ? text(prompt) : prompt
    let failures = 0
    let repromptedAlready = false
    for (;;) {
      const entry = this.log[this.cursor]
      if (entry === undefined) {
        if (this.live && !repromptedAlready) this.outgoing.push(question)
        throw new Suspend()
      }
      if (entry.t !== 'in')
        throw new ReplayMismatch(`expected an input at ${this.cursor}, found effect ${entry.key}`)
      this.cursor += 1
      const parsed = entry.media ? reject(copy.textExpected) : parse(entry.text)
      if (this.live) entry.ok = parsed.ok
      if (parsed.ok) return parsed.value
      if (this.live) this.refusedBy = kind
      failures += 1
      if (failures >= this.maxTries) {
        if (this.live) throw new GaveUp()
        continue
      }
      if (this.live) {
        this.outgoing.push(text(copy.tryAgain(parsed.reason, failures, this.maxTries)), question)
        repromptedAlready = true
      }
    }
  }

  choose<T>(
    prompt: string,
    options: readonly T[],
    label: (option: T) => string,
    footer?: string,
  ): Promise<T> {
    const menu: OutgoingMessage = {
      kind: 'menu',
      text: prompt,
      options: options.map((option, index) => ({ id: String(index + 1), label: label(option) })),
      footer: footer ?? copy.menuFooter,
    }
    return this.step(
      menu,
      (input) => {
        const index = choiceIndex(input, options, label)
        return index >= 0 ? accept(options[index]) : reject(copy.pickFromList(options.length))
      },
      'choice',
    )
  }

  confirm(prompt: string): Promise<boolean> {
    return this.step(
      `${prompt}\n${copy.confirmHint}`,
      (input) => {
        const value = normalizeInput(input).toLowerCase()
        if ((copy.yesWords as readonly string[]).includes(value)) return accept(true)
        if ((copy.noWords as readonly string[]).includes(value)) return accept(false)
        return reject(copy.yesOrNo)
      },
      'confirm',
    )
  }

  async askPhotos(prompt: string, max: number): Promise<MediaRef[]> {
    const photos: MediaRef[] = []
    let failures = 0
    let waitingFor: OutgoingMessage = text(prompt)
    for (;;) {
      const entry = this.log[this.cursor]
      if (entry === undefined) {
        if (this.live) this.outgoing.push(waitingFor)
        throw new Suspend()
      }
      if (entry.t !== 'in') throw new ReplayMismatch(`expected a photo or text at ${this.cursor}`)
      this.cursor += 1
      if (entry.media?.kind === 'image') {
        if (this.live) entry.ok = true
        photos.push(entry.media)
        if (photos.length >= max) return photos
        waitingFor = text(copy.photoReceived(photos.length, max))
        continue
      }
      const done = (copy.photosDoneWords as readonly string[]).includes(normalizeInput(entry.text))
      if (this.live) entry.ok = done
      if (done) return photos
      if (this.live) this.refusedBy = 'photos'
      failures += 1
      if (failures >= this.maxTries) {
        if (this.live) throw new GaveUp()
        continue
      }
      waitingFor = text(copy.photosOrDone)
    }
  }

  seeded<T>(): Promise<T | null> {
    return this.run(UNDERSTOOD, async () => null)
  }

  async run<T>(key: string, effect: () => Promise<T>): Promise<T> {
    const entry = this.log[this.cursor]
    if (entry !== undefined) {
      if (entry.t !== 'fx' || entry.key !== key) {
        throw new ReplayMismatch(`expected effect ${key} at ${this.cursor}`)
      }
      this.cursor += 1
      return entry.value as T
    }
    const value = await effect()
    // JSON round trip: what is recorded is exactly what a later replay will see.
    const recorded = value === undefined ? null : (JSON.parse(JSON.stringify(value)) as T)
    this.log.push({ t: 'fx', key, value: recorded })
    this.cursor += 1
    return recorded as T
  }
}
