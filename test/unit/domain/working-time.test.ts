import { chineseWorkdayCalendar } from '../../../src/domain/chinese-calendar'
import { formatShanghai, isWithinBusinessHours, nextBusinessOpening } from '../../../src/domain/working-time'

const hours = { openMinute: 9 * 60, closeMinute: 17 * 60 + 30 }
const shanghai = (local: string) => new Date(`${local}+08:00`)
const opening = (local: string) =>
  formatShanghai(nextBusinessOpening(shanghai(local), hours, chineseWorkdayCalendar))

describe('business hours on the Chinese working-day calendar', () => {
  it('is open on a working Monday morning', () => {
    expect(isWithinBusinessHours(shanghai('2026-11-23T10:00:00'), hours, chineseWorkdayCalendar)).toBe(true)
  })

  it('opens again on Monday 09:00 after a Friday evening', () => {
    expect(opening('2026-11-20T18:00:00')).toBe('11月23日（周一）09:00')
  })

  it('skips the National Day holiday and opens on 2026-10-08', () => {
    expect(opening('2026-09-30T17:45:00')).toBe('10月8日（周四）09:00')
  })

  it('opens on a make-up working Sunday (2026-09-20)', () => {
    expect(opening('2026-09-19T20:00:00')).toBe('9月20日（周日）09:00')
  })

  it('opens the same morning before 09:00 on a working day', () => {
    expect(opening('2026-11-24T07:30:00')).toBe('11月24日（周二）09:00')
  })

  it('closes at 17:30 sharp', () => {
    expect(isWithinBusinessHours(shanghai('2026-11-23T17:30:00'), hours, chineseWorkdayCalendar)).toBe(false)
  })
})
