import { copy } from '../../copy'
import type { OwnerDeps, OwnerSession } from '../ports'
import { defineDialog } from '../runtime/dialog'

export interface LetterSummary {
  letterId: number
  title: string
  kind: string
  publishedAt: string
  read: boolean
}

/** The letters dialog's port: the owner's projects' published letters and their read receipts. */
export interface LetterServices {
  lettersFor(session: OwnerSession): Promise<LetterSummary[]>
  /** Returns the body and records the read receipt (first read only). */
  read(
    session: OwnerSession,
    letterId: number,
  ): Promise<{ title: string; body: string; kind: string; responded: boolean } | null>
  /** The owner's answer to a design-change notice (the buyer's response is collected); kept once. */
  respond(session: OwnerSession, letterId: number, response: string): Promise<boolean>
}

export type LettersDeps = OwnerDeps & { letters: LetterServices }

/** 工程进度告知函: the letters of the owner's projects; reading one records the read receipt. */
export const lettersDialog = defineDialog<LettersDeps>(
  { id: 'letters', version: 2 },
  async (d, { session, letters }) => {
    const available = await d.run('letters', () => letters.lettersFor(session))
    if (available.length === 0) {
      d.say(copy.letters.none)
      return
    }
    const picked = await d.choose(copy.letters.pick, available, (l) =>
      copy.letters.line(l.title, l.publishedAt, l.read),
    )
    const letter = await d.run('read', () => letters.read(session, picked.letterId))
    if (!letter) {
      d.say(copy.letters.gone)
      return
    }
    d.say(copy.letters.show(letter.title, letter.body))
    // A design change to a bought home needs the buyer's answer on record.
    if (letter.kind !== 'design_change' || letter.responded) return
    const answer = await d.choose(copy.letters.askResponse, copy.letters.responses, (r) => r)
    const recorded = await d.run('respond', () => letters.respond(session, picked.letterId, answer))
    d.say(recorded ? copy.letters.responseRecorded(answer) : copy.letters.alreadyResponded)
  },
)
