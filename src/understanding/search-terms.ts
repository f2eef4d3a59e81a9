import { jieba } from './jieba'
import { normalizeUtterance } from './normalize'

/** Words that every question has and no answer is about. */
const STOPWORDS = new Set(
  '怎么 怎样 怎么样 怎么办 如何 办法 什么 哪里 哪儿 哪 哪些 吗 呢 吧 啊 呀 的 了 是 我 我们 我家 你 你们 您 要 想 请问 请 一下 多少 几 可以 能 能不能 可不可以 有 没有 在 去 和 跟 给 么 时候 需要 应该 一般 现在 这个 那个 还 都 就 会 到 下'.split(
    ' ',
  ),
)

/**
 * The words a question is matched on: the normalised sentence (simplified, half-width, colloquial
 * spellings spelled out) cut by jieba in search mode — which also yields the parts of long words, so
 * 物业费 matches 物业 — without the words every question has.
 */
export function searchTerms(text: string): string[] {
  const words = jieba.cutForSearch(normalizeUtterance(text), true)
  return [...new Set(words.filter((word) => /[\p{L}\p{N}]/u.test(word) && !STOPWORDS.has(word)))]
}
