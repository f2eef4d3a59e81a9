/**
 * Repairs that cannot wait for a booked visit: gas, water pouring out, power or fire. Recognised in the
 * owner's own description, in simplified or traditional characters, so the owner is not asked to pick a
 * slot while water runs through the ceiling. A socket without power or a dripping tap is not one.
 */
export type Emergency = 'gas' | 'water' | 'power' | 'urgent'

/**
 * What a report is: the kind its words name, else 'urgent' when the developer marked its category as an
 * emergency (电梯困人, say), else none.
 */
export function emergencyOfReport(description: string, categoryIsEmergency: boolean): Emergency | null {
  return emergencyOf(description) ?? (categoryIsEmergency ? 'urgent' : null)
}

const PATTERNS: [Exclude<Emergency, 'urgent'>, RegExp][] = [
  ['gas', /(燃|煤|天然)[气氣].{0,8}(漏|泄|味|臭|闻)|(漏|泄)[气氣]|[气氣]味很(大|重|浓|濃)/],
  [
    'power',
    /(着火|著火|起火|失火|冒烟|冒煙|打火花|电线.{0,4}(烧|燒|焦)|電線.{0,4}(烧|燒|焦)|(全|整个|整個|家里|家裡|屋里|屋裡|全屋).{0,3}(停电|停電|断电|斷電|没电|沒電)|^(停电|停電|断电|斷電)|(停电|停電|断电|斷電)了)/,
  ],
  [
    'water',
    /(爆管|爆了|水管.{0,3}(爆|裂|断|斷)|(一直|不停|止不住|停不下|哗哗|嘩嘩|大量|很大|严重|嚴重).{0,4}(漏|流|淌|冒|喷|噴)水|(漏|流|淌|冒|喷|噴)水.{0,4}(止不住|停不下|很大|严重|嚴重|不停)|水漫|淹了|被淹|泡了)/,
  ],
]

/** The emergency a description tells of, or null for an ordinary repair. */
export function emergencyOf(description: string): Emergency | null {
  const text = description
    .normalize('NFKC')
    .replace(/\s+/g, '')
    // "The hob will not light" (打不着火) is not a fire.
    .replace(/(打|点|點)不(着|著)(火)?/g, '')
  for (const [kind, pattern] of PATTERNS) if (pattern.test(text)) return kind
  return null
}
