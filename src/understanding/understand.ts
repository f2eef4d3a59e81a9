import type { Intent, Understander, Understanding } from '../dialogs/ports'
import { predict, type IntentModel } from './classifier'
import { complaintCategoryOf, repairCategoryOf } from './categories'
import { features } from './features'
import modelJson from './model.json'
import { compact, normalizeUtterance } from './normalize'

const model = modelJson as IntentModel

/** Below this the best guess is not worth acting on: the owner gets the menu and the knowledge base. */
export const CONFIDENCE_THRESHOLD = 0.4

/**
 * Asking for a person is never left to chance: 人工 in any phrasing hands off, but 人工费 (labour cost)
 * is a question about money.
 */
const HUMAN =
  /(转|找|要|接|叫|请|换).{0,3}(人工|真人|活人|客服人员|工作人员)|^人工(?!费)|人工(客服|服务|坐席)|真人|活人|(跟|和|找)人(说|聊|谈)|^(找|联系|要|转|接)?(在线)?客服(人员)?$/

/** Words that only name a request; what is left after them is the owner's own description. */
const FILLER =
  /我要|我想|我需|需要|想要|要|帮我|帮忙|麻烦|请|你好|您好|在吗|投诉|报修|维修|修理|修一下|一下|登记|预约|申请|上门|反映|反应|问题|了|吗|呢|啊|呀|吧|的|有/g

/** Whether the words ask for a person: a rule on the normalised text, no classifier. */
export function asksForPerson(text: string): boolean {
  return HUMAN.test(compact(normalizeUtterance(text)))
}

export function understandOffline(text: string): Understanding {
  const normalized = normalizeUtterance(text)
  const compacted = compact(normalized)
  if (HUMAN.test(compacted)) return { intent: 'human', confidence: 1, category: null, description: null }
  const [best] = predict(model, features(normalized))
  const intent: Intent = best.probability >= CONFIDENCE_THRESHOLD ? (best.label as Intent) : 'unknown'
  const category =
    intent === 'repair'
      ? repairCategoryOf(compacted)
      : intent === 'complaint'
        ? complaintCategoryOf(compacted)
        : null
  const said = compacted.replace(FILLER, '')
  const description = (intent === 'repair' || intent === 'complaint') && said.length >= 2 ? text.trim() : null
  return { intent, confidence: best.probability, category, description }
}

export const offlineUnderstander: Understander = {
  understand: async (text) => understandOffline(text),
  asksForPerson,
}
