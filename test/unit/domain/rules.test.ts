import { pickAmbassador } from '../../../src/domain/assignment'
import { isGroupComplaint } from '../../../src/domain/group-complaint'
import { reopensCase } from '../../../src/domain/satisfaction'
import { STATUTORY_WARRANTY_MONTHS, warrantyFor } from '../../../src/domain/warranty'
import { parseStaffCommand } from '../../../src/dialogs/staff-commands'

describe('warranty (建设工程质量管理条例 art. 40)', () => {
  it('covers waterproofing for five years and pipes for two, from delivery', () => {
    expect(warrantyFor('防水渗漏', '2022-12-20', '2027-12-19')).toEqual({
      covered: true,
      until: '2027-12-20',
    })
    expect(warrantyFor('防水渗漏', '2022-12-20', '2027-12-20')).toEqual({
      covered: false,
      reason: 'expired',
      until: '2027-12-20',
    })
    expect(warrantyFor('水电管线', '2022-12-20', '2024-12-21')).toMatchObject({
      covered: false,
      reason: 'expired',
    })
  })

  it('has nothing to cover before delivery or outside the statutory categories', () => {
    expect(warrantyFor('门窗五金', null, '2026-12-01')).toEqual({ covered: false, reason: 'not_delivered' })
    expect(warrantyFor('其他', '2026-01-01', '2026-12-01')).toEqual({ covered: false, reason: 'not_covered' })
  })

  it('uses a longer period a developer promises', () => {
    const periods = { ...STATUTORY_WARRANTY_MONTHS, 门窗五金: 36 }
    expect(warrantyFor('门窗五金', '2024-02-29', '2026-12-01', periods)).toEqual({
      covered: true,
      until: '2027-03-01',
    })
  })
})

describe('ambassador assignment', () => {
  it('picks the fewest households, then the fewest open cases, then the longest-serving', () => {
    expect(
      pickAmbassador([
        { id: 7, households: 40, openCases: 1 },
        { id: 3, households: 38, openCases: 9 },
        { id: 5, households: 38, openCases: 2 },
        { id: 4, households: 38, openCases: 2 },
      ]),
    ).toBe(4)
    expect(pickAmbassador([])).toBeNull()
  })
})

describe('satisfaction and group complaints', () => {
  it('reopens a case on 不满意 or 很不满意 only', () => {
    expect(([1, 2, 3, 4, 5] as const).map(reopensCase)).toEqual([true, true, false, false, false])
  })

  it('warns of a group complaint at the threshold, and never when switched off', () => {
    expect(isGroupComplaint(3, 3)).toBe(true)
    expect(isGroupComplaint(2, 3)).toBe(false)
    expect(isGroupComplaint(50, 0)).toBe(false)
  })
})

describe('staff chat commands', () => {
  it('reads verbs, case numbers in any width and case, and keeps the note as written', () => {
    expect(parseStaffCommand('进展 ts20261123-0042 已联系  物业')).toEqual({
      kind: 'progress',
      caseNo: 'TS20261123-0042',
      note: '已联系 物业',
    })
    expect(parseStaffCommand('接单 ＴＳ２０２６１１２３－００４２')).toEqual({
      kind: 'accept',
      caseNo: 'TS20261123-0042',
    })
    expect(parseStaffCommand('转派 BX20261123-0001 wangqiang')).toEqual({
      kind: 'transfer',
      caseNo: 'BX20261123-0001',
      to: 'wangqiang',
    })
    expect(parseStaffCommand('派工 bx20261123-0001 刘师傅')).toEqual({
      kind: 'dispatch',
      caseNo: 'BX20261123-0001',
      technician: '刘师傅',
    })
    expect(parseStaffCommand('关闭 TS20261123-0042')).toMatchObject({
      kind: 'close',
      note: expect.any(String),
    })
  })

  it('refuses what it cannot act on safely', () => {
    expect(parseStaffCommand('进展 TS20261123-0042')).toEqual({ kind: 'unknown' }) // a reply needs words
    expect(parseStaffCommand('转派 TS20261123-0042')).toEqual({ kind: 'unknown' })
    expect(parseStaffCommand('派工 BX20261123-0001')).toEqual({ kind: 'unknown' }) // to whom?
    expect(parseStaffCommand('接单 12345')).toEqual({ kind: 'unknown' })
    expect(parseStaffCommand('工单')).toEqual({ kind: 'list' })
  })
})
