import { copy } from '../../copy'
import type { DialogDeps } from '../ports'
import { defineDialog } from '../runtime/dialog'

/** 工程进度告知函: the letters of the owner's projects; reading one records the read receipt. */
export const lettersDialog = defineDialog<DialogDeps>(
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
