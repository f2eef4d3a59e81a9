import { performance } from 'node:perf_hooks'
import { understandOffline } from './understand'

export interface EvaluationReport {
  messages: number
  intentAccuracy: number
  categoryAccuracy: number
  categoryMessages: number
  perIntent: { intent: string; precision: number; recall: number; support: number }[]
  confusions: { expected: string; read: string; count: number }[]
  misread: { text: string; expected: string; read: string; category?: string }[]
  timing: { p50Ms: number; p99Ms: number }
}

/**
 * Scores the offline reader on labelled messages. A category counts as right when the reader names the
 * labelled one, or names none where the label is 其他 (the dialog then asks, which is right).
 */
export function evaluate(
  corpus: readonly { intent: string; category: string | null; text: string }[],
): EvaluationReport {
  // Timed over repeated passes once warm (jieba's dictionary, the JIT): the steady state owners meet.
  for (const example of corpus) understandOffline(example.text)
  const times: number[] = []
  for (let pass = 0; pass < 5; pass += 1)
    for (const example of corpus) {
      const started = performance.now()
      understandOffline(example.text)
      times.push(performance.now() - started)
    }
  const confusions = new Map<string, number>()
  const misread: EvaluationReport['misread'] = []
  const counts = new Map<string, { tp: number; fp: number; fn: number; support: number }>()
  const row = (intent: string) => {
    let entry = counts.get(intent)
    if (!entry) counts.set(intent, (entry = { tp: 0, fp: 0, fn: 0, support: 0 }))
    return entry
  }
  let right = 0
  let categoryRight = 0
  let categoryMessages = 0
  for (const example of corpus) {
    const read = understandOffline(example.text)
    row(example.intent).support += 1
    const intentOk = read.intent === example.intent
    if (intentOk) {
      right += 1
      row(example.intent).tp += 1
    } else {
      row(example.intent).fn += 1
      row(read.intent).fp += 1
      const key = `${example.intent}\u0000${read.intent}`
      confusions.set(key, (confusions.get(key) ?? 0) + 1)
    }
    let categoryOk = true
    if (example.category !== null) {
      categoryMessages += 1
      const expected = example.category === '其他' ? null : example.category
      categoryOk = intentOk && read.category === expected
      if (categoryOk) categoryRight += 1
    }
    if (!intentOk || !categoryOk)
      misread.push({
        text: example.text,
        expected: example.category ? `${example.intent}/${example.category}` : example.intent,
        read: read.intent,
        ...(read.category ? { category: read.category } : {}),
      })
  }
  times.sort((a, b) => a - b)
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]
  return {
    messages: corpus.length,
    intentAccuracy: right / corpus.length,
    categoryAccuracy: categoryMessages ? categoryRight / categoryMessages : 1,
    categoryMessages,
    perIntent: [...counts.entries()]
      .map(([intent, c]) => ({
        intent,
        precision: c.tp + c.fp ? c.tp / (c.tp + c.fp) : 0,
        recall: c.support ? c.tp / c.support : 0,
        support: c.support,
      }))
      .sort((a, b) => a.intent.localeCompare(b.intent)),
    confusions: [...confusions.entries()]
      .map(([key, count]) => {
        const [expected, read] = key.split('\u0000')
        return { expected, read, count }
      })
      .sort((a, b) => b.count - a.count),
    misread,
    timing: { p50Ms: at(0.5), p99Ms: at(0.99) },
  }
}
