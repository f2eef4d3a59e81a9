import { clockStartingAt, systemClock, type Clock } from '../../src/clock'

/**
 * The business clock every test app and pipeline runs on. Unset, it is the real clock; `ANJU_TEST_NOW`
 * (an ISO instant) starts it at that moment instead, which is how `npm run test:dates` runs the suite on
 * a month's first day, New Year's Eve at 23:59 and a Spring Festival holiday. A test that passes only
 * on some days fails there.
 */
export const testClock: Clock = process.env.ANJU_TEST_NOW
  ? clockStartingAt(new Date(process.env.ANJU_TEST_NOW))
  : systemClock

/** The month "now" falls in, in Shanghai ("2026-12"). */
export const shanghaiMonth = (at: Date = testClock()) =>
  new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 7)

/** The start of the Shanghai month `at` falls in. */
export const shanghaiMonthStart = (at: Date = testClock()) =>
  new Date(`${shanghaiMonth(at)}-01T00:00:00+08:00`)
