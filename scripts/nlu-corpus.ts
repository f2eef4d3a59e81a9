import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface LabelledMessage {
  intent: string
  /** The repair or complaint category, '其他' for none named, null where categories do not apply. */
  category: string | null
  text: string
  line: number
}

/** Reads nlu/<name>.tsv: `intent<TAB>category<TAB>text`, '-' for no category, '#' starts a comment. */
export function readCorpus(name: 'train' | 'eval'): LabelledMessage[] {
  const file = join(__dirname, '..', 'nlu', `${name}.tsv`)
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((raw, index) => {
      if (raw.trim() === '' || raw.startsWith('#')) return []
      const [intent, category, ...rest] = raw.split('\t')
      const text = rest.join('\t')
      if (!intent || !category || !text)
        throw new Error(`${file}:${index + 1}: expected three tab-separated fields`)
      return [{ intent, category: category === '-' ? null : category, text, line: index + 1 }]
    })
}
