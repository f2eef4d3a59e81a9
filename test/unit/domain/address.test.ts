import { parseAddress, sameUnit } from '../../../src/domain/address'

describe('addresses as owners write them', () => {
  it.each([
    ['3栋1201', { building: '3', room: '1201' }],
    ['3号楼1单元1201', { building: '3', entrance: '1', room: '1201' }],
    ['3-1-1201', { building: '3', entrance: '1', room: '1201' }],
    ['3-1201', { building: '3', room: '1201' }],
    ['A座1201', { building: 'A', room: '1201' }],
    ['a座 1201室', { building: 'A', room: '1201' }],
    ['A1201', { building: 'A', room: '1201' }],
    ['3栋 12楼 1201', { building: '3', room: '1201' }],
    ['３号楼２单元１２０１', { building: '3', entrance: '2', room: '1201' }],
    ['3幢1201号', { building: '3', room: '1201' }],
    ['03#1201', { building: '3', room: '1201' }],
    ['2单元1201', null], // no building: asked again
    ['1201', null],
    ['31201', null],
    ['三栋', null],
  ])('reads %s', (input, expected) => {
    expect(parseAddress(input)).toEqual(expected)
  })

  it('matches units however the developer filed them', () => {
    const described = parseAddress('3号楼1单元1201')!
    expect(sameUnit(described, { building: '3栋', roomNo: '1201' })).toBe(true)
    expect(sameUnit(described, { building: '3号楼', roomNo: '1-1201' })).toBe(true)
    expect(sameUnit(described, { building: '3号楼', roomNo: '1单元1201' })).toBe(true)
    expect(sameUnit(described, { building: '3号楼', roomNo: '2-1201' })).toBe(false)
    expect(sameUnit(described, { building: '13号楼', roomNo: '1201' })).toBe(false)
    expect(sameUnit(parseAddress('A座1201')!, { building: 'A座', roomNo: '1201' })).toBe(true)
    expect(sameUnit(parseAddress('3-1201')!, { building: '3栋', roomNo: '1201' })).toBe(true)
  })
})
