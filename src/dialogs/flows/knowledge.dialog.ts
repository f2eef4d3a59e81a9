import { copy } from '../../copy'
import type { KnowledgeItem, KnowledgeQuestion, KnowledgeServices, OwnerSession } from '../ports'
import { defineDialog } from '../runtime/dialog'
import { accept, normalizeInput, reject } from '../runtime/parse'
import { freeText } from '../runtime/validators'

/** Bound owners and strangers both ask; only an owner has a session (and an ambassador to offer). */
export interface KnowledgeDeps {
  knowledge: KnowledgeServices
  session?: OwnerSession
}

const solvedAnswer = (input: string) => {
  const value = normalizeInput(input).replace(/[。！!.]+$/, '')
  if ((copy.knowledge.solvedWords as readonly string[]).includes(value)) return accept(true)
  if ((copy.knowledge.unsolvedWords as readonly string[]).includes(value)) return accept(false)
  return reject(copy.yesOrNo)
}

/**
 * 常见问题: the owner's question (from their opening sentence, or asked for), answered from the knowledge
 * base — one confident answer, or a choice of up to three — then "did that help?". A soft dialog: a
 * message that is not an answer ends it and is read afresh, so asking the next question just works.
 */
export const knowledgeDialog = defineDialog<KnowledgeDeps>(
  { id: 'knowledge', version: 1, soft: 'always' },
  async (d, { knowledge, session }) => {
    const notSolved = session ? copy.knowledge.notSolved : copy.knowledge.notSolvedStranger
    const seeded = await d.seeded<KnowledgeQuestion>()
    const question =
      seeded?.question ??
      (await d.ask(
        copy.knowledge.askWhat,
        freeText({
          min: 2,
          max: 200,
          tooShort: copy.knowledge.askWhat,
          tooLong: copy.knowledge.askWhat,
          needsWords: copy.knowledge.askWhat,
        }),
      ))
    const found = await d.run('ask', () => knowledge.ask(question))
    if (found.found === 'none') {
      const understood = seeded?.understood ?? true
      if (session) d.say(understood ? copy.knowledge.none : copy.knowledge.notUnderstood)
      else d.say(understood ? copy.knowledge.noneStranger : copy.knowledge.notUnderstoodStranger)
      // An owner also gets the menu: what the bot can do is the next best answer.
      return session ? { next: 'menu' } : undefined
    }
    let item: KnowledgeItem
    if (found.found === 'answer') {
      item = found.item
    } else {
      const picked = await d.choose<KnowledgeItem | null>(
        copy.knowledge.didYouMean,
        [...found.items, null],
        (o) => (o ? o.question : copy.knowledge.noneOfThese),
      )
      if (!picked) {
        await d.run('none-picked', () => knowledge.feedback(found.queryId, { solved: false }))
        d.say(notSolved)
        return
      }
      await d.run('picked', () => knowledge.feedback(found.queryId, { entryId: picked.entryId }))
      item = picked
    }
    d.say(item.answer)
    const solved = await d.ask(copy.knowledge.solved, solvedAnswer)
    await d.run('solved', () => knowledge.feedback(found.queryId, { solved }))
    d.say(solved ? copy.knowledge.glad : notSolved)
  },
)
