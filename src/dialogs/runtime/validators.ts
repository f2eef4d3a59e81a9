import { accept, reject, type Parser } from './parse'

/** Letters, digits or CJK characters: what makes a description more than emoji and punctuation. */
const WORD_CHARACTER = /[\p{L}\p{N}]/gu

export function freeText(rules: {
  min: number
  max: number
  tooShort: string
  tooLong: string
  needsWords: string
}): Parser<string> {
  return (input) => {
    // Free text keeps the owner's own punctuation (no NFKC): it is what staff will read.
    const value = input.trim()
    const words = value.match(WORD_CHARACTER)?.length ?? 0
    if (words === 0 && value.length > 0) return reject(rules.needsWords)
    if ([...value].length < rules.min || words < Math.min(rules.min, 2)) return reject(rules.tooShort)
    if ([...value].length > rules.max) return reject(rules.tooLong)
    return accept(value)
  }
}
