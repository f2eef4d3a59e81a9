/**
 * What leaves the building when an operator turns on an LLM provider: the message's words only, with
 * phone numbers, ID card numbers, e-mail addresses and unit addresses replaced by placeholders. Names
 * cannot be found reliably in free text; the owner's name and file are never sent, only what they typed.
 */
const PATTERNS: [RegExp, string][] = [
  [/\d{17}[\dXx]|\d{15}/g, '[证件号]'],
  [/(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}/g, '[手机号]'],
  [/0\d{2,3}[\s-]?\d{7,8}/g, '[电话]'],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '[邮箱]'],
  [/[A-Za-z]?\d*[A-Za-z]?(?:号楼|栋|幢|座|#)(?:\d+单元)?(?:\d+(?:楼|层))?\d{3,5}(?:室|号)?/g, '[房号]'],
  [/\d+-(?:\d+-)?\d{3,5}/g, '[房号]'],
]

export function redactPersonalData(text: string): string {
  let result = text.normalize('NFKC')
  for (const [pattern, placeholder] of PATTERNS) result = result.replace(pattern, placeholder)
  return result
}
