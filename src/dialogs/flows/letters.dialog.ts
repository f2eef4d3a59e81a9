import { copy } from '../copy.zh-cn'
import type { DialogDeps } from '../ports'
import { defineDialog } from '../runtime/dialog'

/** 工程进度告知函: the letters of the owner's projects; reading one records the read receipt. */
export const lettersDialog = defineDialog<DialogDeps>(
  { id: 'letters', version: 1 },
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
    d.say(letter ? copy.letters.show(letter.title, letter.body) : copy.letters.gone)
  },
)
