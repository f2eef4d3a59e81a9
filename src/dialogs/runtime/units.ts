import { addressIn, sameUnit } from '../../domain/address'
import type { UnitSummary } from '../ports'

/**
 * The owner's unit their sentence names ("3栋1201的卫生间漏水"), when it names exactly one of theirs.
 * Unit labels read "project building room" ("翠湖花园 3栋 1201").
 */
export function unitNamedIn<U extends Pick<UnitSummary, 'label'>>(
  sentence: string | null,
  units: readonly U[],
): U | null {
  const address = sentence ? addressIn(sentence) : null
  if (!address) return null
  const matching = units.filter((unit) => {
    const parts = unit.label.trim().split(/\s+/)
    return (
      parts.length >= 2 &&
      sameUnit(address, { building: parts[parts.length - 2], roomNo: parts[parts.length - 1] })
    )
  })
  return matching.length === 1 ? matching[0] : null
}
