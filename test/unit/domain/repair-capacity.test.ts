import { capacityProblem, slotsToOpen } from '../../../src/domain/repair-capacity'
import { shanghaiClock } from '../../../src/domain/working-time'
import { chineseWorkdayCalendar } from '../../../src/domain/chinese-calendar'

const at = (local: string) => new Date(`${local}+08:00`)
const days = (slots: { startsAt: Date }[]) => [...new Set(slots.map((s) => shanghaiClock(s.startsAt).ymd))]

describe('repair capacity templates', () => {
  const template = {
    windows: [
      { start: '09:00', end: '12:00', capacity: 2 },
      { start: '14:00', end: '17:30', capacity: 3 },
    ],
    daysAhead: 7,
  }

  it('opens working days only, from tomorrow, both windows at their times', () => {
    // From Wednesday 2026-12-30: 元旦 (Fri 1 Jan) and the weekend open nothing.
    const slots = slotsToOpen(template, at('2026-12-30T15:00:00'), chineseWorkdayCalendar)
    expect(days(slots)).toEqual(['2026-12-31', '2027-01-04', '2027-01-05', '2027-01-06'])
    expect(slots[0]).toEqual({
      startsAt: at('2026-12-31T09:00:00'),
      endsAt: at('2026-12-31T12:00:00'),
      capacity: 2,
    })
    expect(slots[1].endsAt).toEqual(at('2026-12-31T17:30:00'))
  })

  it('is asked at 23:59 the same as at 00:01 of that day', () => {
    expect(slotsToOpen(template, at('2026-11-23T23:59:00'), chineseWorkdayCalendar)).toEqual(
      slotsToOpen(template, at('2026-11-23T00:01:00'), chineseWorkdayCalendar),
    )
  })

  it('refuses windows that end before they start or overlap', () => {
    expect(capacityProblem(template)).toBeNull()
    expect(
      capacityProblem({ ...template, windows: [{ start: '12:00', end: '09:00', capacity: 1 }] }),
    ).toMatch(/ends before/)
    expect(
      capacityProblem({
        ...template,
        windows: [
          { start: '13:00', end: '15:00', capacity: 1 },
          { start: '09:00', end: '13:30', capacity: 1 },
        ],
      }),
    ).toMatch(/overlap/)
  })
})

describe('capacity exceptions in the nightly opening', () => {
  it('opens an exception’s windows instead of the template’s, also on a day off, and nothing on a closed day', async () => {
    const { slotsToOpen } = await import('../../../src/domain/repair-capacity')
    const calendar = {
      isWorkday: (ymd: string) => ![6, 0].includes(new Date(`${ymd}T00:00:00Z`).getUTCDay()),
    }
    const now = new Date('2027-03-01T02:00:00Z') // Monday 10:00 in Shanghai
    const slots = slotsToOpen(
      {
        windows: [{ start: '09:00', end: '12:00', capacity: 2 }],
        daysAhead: 6,
        exceptions: { '2027-03-02': [], '2027-03-06': [{ start: '10:00', end: '11:00', capacity: 5 }] },
      },
      now,
      calendar,
    )
    expect(slots.map((s) => [s.startsAt.toISOString(), s.capacity])).toEqual([
      ['2027-03-03T01:00:00.000Z', 2],
      ['2027-03-04T01:00:00.000Z', 2],
      ['2027-03-05T01:00:00.000Z', 2],
      ['2027-03-06T02:00:00.000Z', 5],
    ])
  })
})
