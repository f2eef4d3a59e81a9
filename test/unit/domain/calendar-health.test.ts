import { calendarHealth } from '../../../src/db/health'

describe('holiday calendar health', () => {
  it('is quiet in mid-2026, when the whole look-ahead is covered', () => {
    expect(calendarHealth(new Date('2026-06-01T00:00:00Z'))).toEqual({ knownThrough: 2026 })
  })

  it('warns loudly from November 2026: deadlines in 2027 would count weekends only', () => {
    const health = calendarHealth(new Date('2026-11-23T00:00:00Z'))
    expect(health.knownThrough).toBe(2026)
    expect(health.warning).toMatch(
      /update the chinese-days package; SLA deadlines in 2027 count weekends only/,
    )
  })
})
