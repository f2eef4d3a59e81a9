import { parseAddress, type Address } from '../../domain/address'
import { normalizeMobile } from '../../domain/customer'
import { accept, normalizeInput, reject, type Parser } from './parse'

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

/** Free text that may be skipped with one of `skipWords`: resolves to null then. */
export function optionalText(
  skipWords: readonly string[],
  max: number,
  tooLong: string,
): Parser<string | null> {
  return (input) => {
    const value = input.trim()
    if (value === '' || skipWords.includes(normalizeInput(value))) return accept(null)
    return [...value].length > max ? reject(tooLong) : accept(value)
  }
}

export function mobilePhone(badPhone: string): Parser<string> {
  return (input) => {
    const phone = normalizeMobile(normalizeInput(input))
    return phone ? accept(phone) : reject(badPhone)
  }
}

/** A unit as the owner writes it ("3号楼1单元1201", "A座1201", "3-1-1201" …; src/domain/address.ts). */
export function unitAddress(badUnit: string): Parser<Address> {
  return (input) => {
    const address = parseAddress(input)
    return address ? accept(address) : reject(badUnit)
  }
}
