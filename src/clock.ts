/**
 * Where "now" comes from. Business time — SLA deadlines, reports, dialog expiry, timers, case numbers —
 * is read from the app's clock, never from `new Date()` or SQL `now()`, so that tests can run the whole
 * app on any date (a month's first day, a holiday, 23:59 in Shanghai). Transport time (WeCom signature
 * freshness, token expiry, rate limits, retry back-off) stays on the real clock: it is agreed with
 * servers that do not share ours.
 */
export type Clock = () => Date

export const systemClock: Clock = () => new Date()

/** A clock that reads `start` now and then runs at the real pace (timeouts and waits still work). */
export function clockStartingAt(start: Date, real: Clock = systemClock): Clock {
  const offset = start.getTime() - real().getTime()
  return () => new Date(real().getTime() + offset)
}
