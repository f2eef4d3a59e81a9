import { copy } from '../copy'
import { bindDialog } from './flows/bind.dialog'
import type { MenuChoice } from './flows/menu.dialog'
import type { Intent, KnowledgeQuestion, Understanding, UnderstoodRequest } from './ports'

/** Where a sentence read outside any dialog leads. */
export type Route =
  | { kind: 'dialog'; dialog: string; seed?: unknown; input?: string; preface?: string }
  | { kind: 'say'; text: string }
  | { kind: 'human' }

/** The dialogs that carry out a request, by the intent that asks for it. */
export const DIALOG_OF_INTENT: Partial<Record<Intent, MenuChoice>> = {
  complaint: 'complaint',
  repair: 'repair',
  letters: 'letters',
  case_status: 'cases',
  ambassador: 'ambassador',
  survey: 'survey',
}

/** Thanks and goodbyes get a word back, not the menu. */
const THANKS = /谢|感谢|辛苦|再见|拜拜|晚安|好的|好嘞|收到|知道了|明白|没事|ok|嗯/

/** A person's request about their own data, by its words: their record (my-data) or unbinding. */
function privacyRequest(words: string): 'my-data' | 'unbind' | null {
  const value = words.replace(/[\s。！!？?]/g, '')
  if ((copy.privacy.myDataWords as readonly string[]).includes(value)) return 'my-data'
  if ((copy.privacy.unbindWords as readonly string[]).includes(value)) return 'unbind'
  return null
}

export function dialogLabel(id: string): string {
  return copy.menuItems[id as MenuChoice] ?? (id === 'knowledge' ? '常见问题' : id)
}

/**
 * A bound owner's sentence: a request opens its dialog with what the sentence said (a repair's category
 * and description), a question goes to the knowledge base, and what nobody understood does too — a hit
 * there is better than a menu; with none, the knowledge dialog ends on the menu.
 */
export function ownerRoute(understanding: Understanding, words: string): Route {
  const privacy = privacyRequest(words)
  if (privacy) return { kind: 'dialog', dialog: privacy }
  const dialog = DIALOG_OF_INTENT[understanding.intent]
  if (dialog) {
    // The description is only kept with a category: "我要投诉你们" says nothing to file.
    const seed: UnderstoodRequest | undefined =
      (dialog === 'repair' || dialog === 'complaint') && understanding.category
        ? { category: understanding.category, description: understanding.description }
        : undefined
    return { kind: 'dialog', dialog, seed }
  }
  if (understanding.intent === 'human') return { kind: 'human' }
  if (understanding.intent === 'greeting')
    return THANKS.test(words) ? { kind: 'say', text: copy.youAreWelcome } : { kind: 'dialog', dialog: 'menu' }
  return knowledgeRoute(understanding, words)
}

/** Questions, and what nobody understood, go to the knowledge base: a hit there beats a menu. */
function knowledgeRoute(understanding: Understanding, words: string): Route {
  const seed: KnowledgeQuestion = { question: words, understood: understanding.intent === 'question' }
  return { kind: 'dialog', dialog: 'knowledge', seed }
}

/**
 * A stranger's sentence (not yet bound to a household file): questions and 人工 need no binding; a
 * request that needs a household starts binding, saying why; a greeting or a phone number starts it too.
 */
export function strangerRoute(understanding: Understanding, words: string): Route {
  if (privacyRequest(words)) return { kind: 'say', text: copy.privacy.notBound }
  const compacted = words.replace(/[\s-]/g, '')
  if (/^1\d{10}$/.test(compacted)) return { kind: 'dialog', dialog: bindDialog.id, input: compacted }
  if ((copy.stranger.bindWords as readonly string[]).some((word) => compacted.includes(word)))
    return { kind: 'dialog', dialog: bindDialog.id }
  const service = DIALOG_OF_INTENT[understanding.intent]
  if (service)
    return {
      kind: 'dialog',
      dialog: bindDialog.id,
      preface: copy.stranger.needsBinding(dialogLabel(service)),
    }
  if (understanding.intent === 'human') return { kind: 'human' }
  if (understanding.intent === 'greeting')
    return THANKS.test(words)
      ? { kind: 'say', text: copy.youAreWelcome }
      : { kind: 'dialog', dialog: bindDialog.id }
  return { kind: 'dialog', dialog: 'knowledge', seed: { question: words } }
}
