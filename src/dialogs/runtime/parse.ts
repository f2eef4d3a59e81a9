/** Input parsers for d.ask: pure, so that a replayed turn parses exactly as the live one did. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string }
export type Parser<T> = (input: string) => Parsed<T>

export const accept = <T>(value: T): Parsed<T> => ({ ok: true, value })
export const reject = (reason: string): Parsed<never> => ({ ok: false, reason })

/** Full-width digits and letters become half-width, spaces are trimmed: owners type on phones. */
export function normalizeInput(input: string): string {
  return input.normalize('NFKC').trim()
}

export function choiceIndex<T>(input: string, options: readonly T[], label: (option: T) => string): number {
  const value = normalizeInput(input)
  if (/^\d+$/.test(value)) {
    const index = Number(value) - 1
    return index >= 0 && index < options.length ? index : -1
  }
  const labels = options.map((option) => normalizeInput(label(option)))
  const exact = labels.indexOf(value)
  if (exact >= 0) return exact
  // "我要投诉" picks "投诉"; "投" alone is too little to guess from.
  const containing = labels.flatMap((l, i) =>
    value.includes(l) || (value.length >= 2 && l.includes(value)) ? [i] : [],
  )
  return containing.length === 1 ? containing[0] : -1
}
