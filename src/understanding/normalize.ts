import t2s from './t2s.json'

/**
 * Traditional characters (Taiwan, Hong Kong) become simplified: owners in either write to the same bot.
 * Character by character, from a table opencc-js wrote (scripts/t2s-table.ts): its phrase dictionaries
 * cost every process about 11 MB, and the reader works on characters and words that read the same.
 */
const SIMPLIFIED: ReadonlyMap<string, string> = new Map(Object.entries(t2s))
const toSimplified = (text: string): string => {
  let simplified = ''
  for (const character of text) simplified += SIMPLIFIED.get(character) ?? character
  return simplified
}

/**
 * Spoken and internet spellings of the same words, as owners type them on phones. Applied after the
 * conversion to simplified characters, longest first so that 咋整 is not read as 咋 + 整.
 */
const COLLOQUIAL: [RegExp, string][] = [
  [/咋整|咋办|咋弄/g, '怎么办'],
  [/肿么|腫么|咋个|咋/g, '怎么'],
  [/啥时候|啥时/g, '什么时候'],
  [/神马|啥子|啥/g, '什么'],
  [/木有|冇|没得/g, '没有'],
  [/伐$/g, '吗'],
  // 在么 / 好么 / 是么: a question's 吗, but not the 么 of 什么, 怎么, 这么, 那么, 多么.
  [/(?<![什怎这那多要])么$/g, '吗'],
  [/灰常/g, '非常'],
  [/童鞋/g, '同学'],
]

/** Emoji and pictographs carry mood, not the request; they are dropped before reading the words. */
const PICTOGRAPHS = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u{FE0F}|\u{200D}/gu

/**
 * The form every reader of owners' free text works on: half-width digits and letters (NFKC), simplified
 * characters, lower case, colloquial spellings spelled out, emoji dropped, runs of spaces collapsed.
 */
export function normalizeUtterance(input: string): string {
  let value = toSimplified(input.normalize('NFKC')).toLowerCase().replace(PICTOGRAPHS, ' ')
  for (const [pattern, replacement] of COLLOQUIAL) value = value.replace(pattern, replacement)
  return value.replace(/\s+/g, ' ').trim()
}

/** Letters, digits and Chinese characters only: for matching keywords across punctuation and spaces. */
export function compact(normalized: string): string {
  return normalized.replace(/[^\p{L}\p{N}]/gu, '')
}
