import { ChineseWorkdayCalendar } from '../../../src/domain/chinese-calendar'
import { addClockTime, DEFAULT_SLA_POLICIES } from '../../../src/domain/sla'
import { lawHolidays } from '../../../src/domain/statutory-holidays'

const at = (local: string) => new Date(`${local}+08:00`)
const hours = { openMinute: 540, closeMinute: 1050 }

describe('the law’s holidays, for any year', () => {
  it('gives 2027 its 13 statutory days, with 补假 for those on a weekend', () => {
    expect(lawHolidays(2027)).toEqual([
      { date: '2027-01-01', name: '元旦' },
      { date: '2027-02-05', name: '春节（除夕）' },
      { date: '2027-02-06', name: '春节' },
      { date: '2027-02-07', name: '春节' },
      { date: '2027-02-08', name: '春节' },
      { date: '2027-02-09', name: '春节补假' }, // 初一 and 初二 are a weekend
      { date: '2027-02-10', name: '春节补假' },
      { date: '2027-04-05', name: '清明节' },
      { date: '2027-05-01', name: '劳动节' },
      { date: '2027-05-02', name: '劳动节' },
      { date: '2027-05-03', name: '劳动节补假' },
      { date: '2027-05-04', name: '劳动节补假' },
      { date: '2027-06-09', name: '端午节' },
      { date: '2027-09-15', name: '中秋节' },
      { date: '2027-10-01', name: '国庆节' },
      { date: '2027-10-02', name: '国庆节' },
      { date: '2027-10-03', name: '国庆节' },
      { date: '2027-10-04', name: '国庆节补假' },
      { date: '2027-10-05', name: '国庆节补假' },
    ])
  })

  it('finds the lunar and solar-term holidays of years far ahead', () => {
    const names = (year: number) => new Map(lawHolidays(year).map((d) => [d.name, d.date]))
    expect(names(2028).get('春节（除夕）')).toBe('2028-01-25')
    expect(names(2028).get('中秋节')).toBe('2028-10-03')
    expect(names(2033).get('清明节')).toBe('2033-04-04')
    expect(lawHolidays(2040).filter((d) => !d.name.endsWith('补假'))).toHaveLength(13)
  })

  it('agrees with the official arrangement on the days the law fixes (2026)', () => {
    const calendar = new ChineseWorkdayCalendar()
    for (const day of lawHolidays(2026).filter((d) => !d.name.endsWith('补假')))
      expect({ date: day.date, working: calendar.isWorkday(day.date) }).toEqual({
        date: day.date,
        working: false,
      })
  })
})

describe('the working-day calendar', () => {
  it('uses the official arrangement where known, the law beyond it, and staff entries over both', () => {
    const calendar = new ChineseWorkdayCalendar()
    expect(calendar.day('2026-10-10')).toMatchObject({ working: true, source: 'official' }) // 调休 Saturday
    expect(calendar.day('2027-01-01')).toEqual({
      date: '2027-01-01',
      working: false,
      name: '元旦',
      source: 'law',
    })
    expect(calendar.day('2027-01-04')).toMatchObject({ working: true, source: 'law' })
    const withTyphoon = calendar.withStaffEntries(
      new Map([['2027-01-04', { working: false, name: '台风停工' }]]),
    )
    expect(withTyphoon.day('2027-01-04')).toEqual({
      date: '2027-01-04',
      working: false,
      name: '台风停工',
      source: 'staff',
    })
    expect(calendar.isWorkday('2027-01-04')).toBe(true) // the original is untouched
  })

  it('lists the days that differ from a plain week', () => {
    const days = new ChineseWorkdayCalendar().exceptions(2027)
    expect(days.every((d) => d.source === 'law')).toBe(true)
    expect(days.map((d) => d.date)).toEqual(
      lawHolidays(2027)
        .map((d) => d.date)
        .filter((date) => ![0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay())),
    )
  })

  it('no longer makes a complaint of New Year’s Eve due on New Year’s Day', () => {
    const calendar = new ChineseWorkdayCalendar()
    const due = addClockTime(at('2026-12-31T17:00:00'), DEFAULT_SLA_POLICIES.complaintReply, calendar, hours)
    expect(due.dueAt).toEqual(at('2027-01-04T17:00:00'))
    expect(due.unknownYears).toEqual([2027])
    // Spring Festival 2027: filed the Thursday before 除夕, due after the holiday and its 补假.
    expect(
      addClockTime(at('2027-02-04T10:00:00'), DEFAULT_SLA_POLICIES.complaintReply, calendar, hours).dueAt,
    ).toEqual(at('2027-02-11T10:00:00'))
  })
})
