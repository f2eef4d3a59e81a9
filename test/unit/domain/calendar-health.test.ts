import { calendarHealth } from '../../../src/db/health'

describe('holiday calendar health', () => {
  it('is quiet in mid-2026, when the whole look-ahead is covered', () => {
    expect(calendarHealth(new Date('2026-06-01T00:00:00Z'))).toEqual({ knownThrough: 2026 })
  })

  it('warns from November 2026 that 2027 runs on the law’s holidays until the arrangement is known', () => {
    const health = calendarHealth(new Date('2026-11-23T00:00:00Z'))
    expect(health.knownThrough).toBe(2026)
    expect(health.warning).toMatch(/official holiday arrangement for 2027 is not known yet/)
    expect(health.warning).toMatch(/statutory holidays/)
  })
})
