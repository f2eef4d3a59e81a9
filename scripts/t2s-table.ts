/**
 * Writes src/understanding/t2s.json: each traditional (or variant) character and its simplified form, as
 * opencc-js converts the character on its own. The reader converts owners' messages character by
 * character with it, instead of loading opencc's phrase dictionaries into every process (about 11 MB);
 * the held-out evaluation reads the same. Deterministic: a test checks the shipped file.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as OpenCC from 'opencc-js/t2cn'

export const TABLE_FILE = join(__dirname, '..', 'src', 'understanding', 't2s.json')

/** CJK unified ideographs, extension A, and the compatibility ideographs. */
const RANGES: [number, number][] = [
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xf900, 0xfaff],
]

export function simplificationTable(): Record<string, string> {
  const convert = OpenCC.Converter({ from: 't', to: 'cn' })
  const table: Record<string, string> = {}
  for (const [from, to] of RANGES)
    for (let code = from; code <= to; code += 1) {
      const character = String.fromCodePoint(code)
      const simplified = convert(character)
      if (simplified !== character) table[character] = simplified
    }
  return table
}

if (require.main === module) {
  const table = simplificationTable()
  writeFileSync(TABLE_FILE, `${JSON.stringify(table)}\n`)
  console.log(`${Object.keys(table).length} characters → ${TABLE_FILE}`)
}
