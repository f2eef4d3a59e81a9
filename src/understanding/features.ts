import { jieba } from './jieba'
import { compact } from './normalize'

/** Words of a normalised sentence, as jieba cuts them (punctuation and spaces left out). */
export function words(normalized: string): string[] {
  return jieba.cut(normalized, false).filter((word) => /[\p{L}\p{N}]/u.test(word))
}

/**
 * What the classifier sees of a sentence: its jieba words, and its characters and character pairs.
 * The characters carry what segmentation misses — typos (投述), run-ons from voice input, words jieba
 * splits differently — so a sentence is not lost because one word was cut oddly.
 */
export function features(normalized: string): string[] {
  const chars = [...compact(normalized)]
  const result = new Set<string>()
  for (const word of words(normalized)) result.add(`w:${word}`)
  chars.forEach((char, index) => {
    result.add(`c:${char}`)
    if (index > 0) result.add(`b:${chars[index - 1]}${char}`)
  })
  if (/[?？吗呢么]$|怎么|什么|哪|几|多少|是否|能不能|可不可以|可以.*吗/.test(normalized))
    result.add('q:question')
  if (chars.length <= 3) result.add('len:short')
  return [...result]
}
