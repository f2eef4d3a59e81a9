import { chineseWorkdayCalendar } from '../../../src/domain/chinese-calendar'
import { addClockTime, clockMinutesBetween, DEFAULT_SLA_POLICIES, reminderAt } from '../../../src/domain/sla'
import { formatShanghai } from '../../../src/domain/working-time'

const hours = { openMinute: 9 * 60, closeMinute: 17 * 60 + 30 }
const at = (local: string) => new Date(`${local}+08:00`)
const due = (local: string, policy = DEFAULT_SLA_POLICIES.complaintReply) =>
  formatShanghai(addClockTime(at(local), policy, chineseWorkdayCalendar, hours).dueAt)

describe('SLA clock on the 2026 Chinese working-day calendar', () => {
  it('runs a Friday 17:00 complaint over the weekend to Monday 17:00', () => {
    expect(due('2026-11-20T17:00:00')).toBe('11月23日（周一）17:00')
  })

  it('pauses over National Day: a complaint on 2026-09-30 17:00 is due on 10-08 17:00', () => {
    expect(due('2026-09-30T17:00:00')).toBe('10月8日（周四）17:00')
  })

  it('runs on a make-up Saturday (2026-10-10) and pauses on the Sunday after', () => {
    expect(due('2026-10-10T10:00:00')).toBe('10月12日（周一）10:00')
  })

  it('starts a complaint made on a holiday at the next working day', () => {
    expect(due('2026-10-03T11:00:00')).toBe('10月9日（周五）00:00')
  })

  it('counts only business hours when the policy says so', () => {
    const policy = { mode: 'business' as const, minutes: 8 * 60 + 30 }
    expect(due('2026-11-20T16:00:00', policy)).toBe('11月23日（周一）16:00')
  })

  it('runs calendar policies around the clock: a forum complaint is reported within 3 hours', () => {
    expect(due('2026-10-01T22:00:00', DEFAULT_SLA_POLICIES.publicComplaintReport)).toBe(
      '10月2日（周五）01:00',
    )
  })

  it('says which years it had to guess: 2027 is not in the calendar yet', () => {
    const deadline = addClockTime(
      at('2026-12-31T17:00:00'),
      DEFAULT_SLA_POLICIES.complaintReply,
      chineseWorkdayCalendar,
      hours,
    )
    expect(deadline.unknownYears).toEqual([2027])
    const inside = addClockTime(
      at('2026-11-20T17:00:00'),
      DEFAULT_SLA_POLICIES.complaintReply,
      chineseWorkdayCalendar,
      hours,
    )
    expect(inside.unknownYears).toEqual([])
  })

  it('keeps what is left of the clock across a pause', () => {
    // Paused Friday 20:00 with the deadline Monday 17:00: 4 h of Friday and 17 h of Monday remain.
    expect(
      clockMinutesBetween(
        at('2026-11-20T20:00:00'),
        at('2026-11-23T17:00:00'),
        'workday',
        chineseWorkdayCalendar,
        hours,
      ),
    ).toBe(21 * 60)
    // Resumed on Tuesday 09:00 the same 21 h run out on Wednesday 06:00.
    expect(due('2026-11-24T09:00:00', { mode: 'workday', minutes: 21 * 60 })).toBe('11月25日（周三）06:00')
  })

  it('reminds before the deadline, or half-way for a ten-minute dispatch', () => {
    const opened = at('2026-11-23T10:00:00')
    expect(reminderAt(opened, at('2026-11-24T10:00:00'), 240)?.toISOString()).toBe(
      at('2026-11-24T06:00:00').toISOString(),
    )
    expect(reminderAt(opened, at('2026-11-23T10:10:00'), 240)?.toISOString()).toBe(
      at('2026-11-23T10:05:00').toISOString(),
    )
  })
})
