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
}

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
  const context = new ReplayContext(log, liveFrom, options.maxTries)
  try {
    const outcome = await dialog.run(context, deps)
    return { outgoing: context.outgoing, state: null, outcome: 'finished', next: outcome?.next }
  } catch (error) {
    if (error instanceof Suspend) {
      return {
        outgoing: context.outgoing,
        state: { id: dialog.id, version: dialog.version, log },
        outcome: 'waiting',
      }
    }
    if (error instanceof GaveUp) {
      return { outgoing: [...context.outgoing, text(copy.tooManyTries)], state: null, outcome: 'gave-up' }
    }
    throw error
  }
}

/** 返回: forget the last accepted answer (and what followed it) so that its question is asked again. */
export function stepBack(state: DialogState): DialogState {
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

  async ask<T>(prompt: OutgoingMessage | string, parse: Parser<T>): Promise<T> {
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
    return this.ask(menu, (input) => {
      const index = choiceIndex(input, options, label)
      return index >= 0 ? accept(options[index]) : reject(copy.pickFromList(options.length))
    })
  }

  confirm(prompt: string): Promise<boolean> {
    return this.ask(`${prompt}\n${copy.confirmHint}`, (input) => {
      const value = normalizeInput(input).toLowerCase()
      if ((copy.yesWords as readonly string[]).includes(value)) return accept(true)
      if ((copy.noWords as readonly string[]).includes(value)) return accept(false)
      return reject(copy.yesOrNo)
    })
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
      failures += 1
      if (failures >= this.maxTries) {
        if (this.live) throw new GaveUp()
        continue
      }
      waitingFor = text(copy.photosOrDone)
    }
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
