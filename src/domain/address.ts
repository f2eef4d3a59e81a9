/**
 * Unit addresses as owners write them — "3号楼1单元1201", "3-1-1201", "A座1201", "3栋 12楼 1201", with
 * full-width digits — and as developers file them (building "3号楼", "A座", "3栋"; room "1201",
 * "1-1201", "1单元1201"). Both are reduced to the same parts, so matching does not depend on spelling.
 */
export interface Address {
  /** The building's own mark: "3", "A", "12B". */
  building: string
  /** The entrance (单元), when given. */
  entrance?: string
  /** The room number: "1201". */
  room: string
}

const BUILDING_MARK = '(?:号楼|栋|幢|座|号|#|楼)'
const clean = (text: string) =>
  text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s，,、。．.]+/g, '')
    .replace(/[－—–~～]/g, '-')

/** Strips a building name to its mark: "3号楼" → "3", "A座" → "A", "03栋" → "3". */
export function buildingMark(name: string): string {
  const mark = clean(name).replace(new RegExp(`${BUILDING_MARK}$`), '')
  return /^\d+$/.test(mark) ? String(Number(mark)) : mark
}

const number = (text: string) => String(Number(text))

/** Splits a filed room number into entrance and room: "1-1201" / "1单元1201" / "1201". */
export function filedRoom(roomNo: string): { entrance?: string; room: string } {
  const text = clean(roomNo)
  const match = /^(?:(\d+)(?:单元|-))?(\d+)(?:室|号)?$/.exec(text)
  if (!match) return { room: text }
  return match[1] ? { entrance: number(match[1]), room: number(match[2]) } : { room: number(match[2]) }
}

/**
 * An owner's address, or null when it lacks a building or a room (the question is asked again).
 * Floors ("12楼", "12层") are read and dropped: the room number carries them.
 */
export function parseAddress(input: string): Address | null {
  let text = clean(input)
  if (!text) return null
  // Dashes: building-entrance-room or building-room ("3-1-1201", "A-1201", "3栋-1201").
  const dashed = new RegExp(
    `^([A-Z]?\\d*[A-Z]?)${BUILDING_MARK}?-(?:(\\d+)(?:单元)?-)?(\\d+)(?:室|号)?$`,
  ).exec(text)
  if (dashed && dashed[1]) {
    return {
      building: buildingMark(dashed[1]),
      ...(dashed[2] ? { entrance: number(dashed[2]) } : {}),
      room: number(dashed[3]),
    }
  }
  // A letter building straight before the room: "A1201".
  const lettered = /^([A-Z])(\d{3,5})(?:室|号)?$/.exec(text)
  if (lettered) return { building: lettered[1], room: number(lettered[2]) }
  const entrance = /(\d+)单元/.exec(text)
  text = text.replace(/(\d+)单元/, '|')
  // A building mark, or a letter building ("A1201", "B座"); "12楼" after a building is a floor.
  const building = new RegExp(`^([A-Z]?\\d+[A-Z]?|[A-Z])(号楼|栋|幢|座|号|#|楼)?`).exec(text)
  if (!building) return null
  let rest = text.slice(building[0].length)
  const marked = building[2] !== undefined || /^[A-Z]$/.test(building[1])
  if (!marked && !rest.startsWith('|')) return null // "31201": no telling building from room
  rest = rest.replace(/^\|/, '').replace(/^(\d+)(?:楼|层|F)(?=\d)/, '')
  const room = /^(\d{1,5})(?:室|号)?$/.exec(rest)
  if (!room) return null
  return {
    building: buildingMark(building[1]),
    ...(entrance ? { entrance: number(entrance[1]) } : {}),
    room: number(room[1]),
  }
}

/** Whether a filed unit is the one an owner described; an entrance counts only where both name one. */
export function sameUnit(described: Address, filed: { building: string; roomNo: string }): boolean {
  const room = filedRoom(filed.roomNo)
  if (buildingMark(filed.building) !== described.building || room.room !== described.room) return false
  return !described.entrance || !room.entrance || described.entrance === room.entrance
}

/**
 * The address named inside a longer sentence ("3栋1201卫生间漏水", "我家A座1201的门坏了"), or null.
 * Only marked forms count (栋, 号楼, 座, 单元, dashes): a bare number in a sentence is too often a date,
 * a count or a floor.
 */
export function addressIn(sentence: string): Address | null {
  const text = clean(sentence)
  const candidates = [
    /[A-Z]?\d*[A-Z]?(?:号楼|栋|幢|座|#)(?:\d+单元)?(?:\d+(?:楼|层))?\d{3,5}(?:室|号)?/g,
    /\d+-(?:\d+-)?\d{3,5}/g,
  ].flatMap((pattern) => text.match(pattern) ?? [])
  for (const candidate of candidates) {
    const address = parseAddress(candidate)
    if (address) return address
  }
  return null
}
