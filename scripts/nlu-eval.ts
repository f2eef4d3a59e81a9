/**
 * Measures the offline reader on the held-out set nlu/eval.tsv: intent accuracy, per-intent precision
 * and recall, category accuracy, the most frequent confusions, and classification time per message.
 * `npm run eval`; `--json` prints the figures as JSON (the test suite reads them).
 */
import { evaluate } from '../src/understanding/evaluation'
import { readCorpus } from './nlu-corpus'

const report = evaluate(readCorpus('eval'))
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(report, null, 2))
} else {
  const pct = (value: number) => `${(value * 100).toFixed(1)}%`
  console.log(`messages: ${report.messages}`)
  console.log(
    `intent accuracy: ${pct(report.intentAccuracy)}   category accuracy: ${pct(report.categoryAccuracy)} (${report.categoryMessages} with a category)`,
  )
  console.log(
    `time per message: p50 ${report.timing.p50Ms.toFixed(3)} ms, p99 ${report.timing.p99Ms.toFixed(3)} ms`,
  )
  console.log('\nintent        precision  recall  support')
  for (const row of report.perIntent)
    console.log(
      `${row.intent.padEnd(13)} ${pct(row.precision).padStart(9)} ${pct(row.recall).padStart(7)} ${String(row.support).padStart(8)}`,
    )
  console.log('\nmost frequent confusions (expected → read):')
  for (const c of report.confusions.slice(0, 10)) console.log(`  ${c.expected} → ${c.read}: ${c.count}`)
  console.log('\nmisread:')
  for (const m of report.misread)
    console.log(`  [${m.expected} → ${m.read}${m.category ? ` / ${m.category}` : ''}] ${m.text}`)
}
