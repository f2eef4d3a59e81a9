/** Business hours on the Chinese working-day calendar, in Asia/Shanghai. Pure: the calendar is passed in. */

export interface WorkdayCalendar {
  /** YYYY-MM-DD in Asia/Shanghai → whether it is a working day (make-up workdays included). */
  isWorkday(ymd: string): boolean
}

export interface BusinessHours {
  openMinute: number
  closeMinute: number
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000

/** Shanghai wall-clock date and minute of day for an instant (China has no daylight saving time). */
export function shanghaiClock(at: Date): { ymd: string; minute: number } {
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS)
  return { ymd: local.toISOString().slice(0, 10), minute: local.getUTCHours() * 60 + local.getUTCMinutes() }
}

export function shanghaiInstant(ymd: string, minute: number): Date {
  return new Date(Date.parse(`${ymd}T00:00:00Z`) - SHANGHAI_OFFSET_MS + minute * 60_000)
}

function nextDay(ymd: string): string {
  return new Date(Date.parse(`${ymd}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
}

export function isWithinBusinessHours(at: Date, hours: BusinessHours, calendar: WorkdayCalendar): boolean {
  const { ymd, minute } = shanghaiClock(at)
  return calendar.isWorkday(ymd) && minute >= hours.openMinute && minute < hours.closeMinute
}

/** When staff are next at their desks: `at` itself inside business hours, else the next opening. */
export function nextBusinessOpening(at: Date, hours: BusinessHours, calendar: WorkdayCalendar): Date {
  if (isWithinBusinessHours(at, hours, calendar)) return at
  const clock = shanghaiClock(at)
  let ymd = clock.ymd
  if (clock.minute >= hours.closeMinute || !calendar.isWorkday(ymd)) ymd = nextDay(ymd)
  // Chinese holidays run at most nine days with weekends around them; a month is a generous bound.
  for (let i = 0; i < 31 && !calendar.isWorkday(ymd); i += 1) ymd = nextDay(ymd)
  return shanghaiInstant(ymd, hours.openMinute)
}

/** "11月24日（周二）09:00" */
export function formatShanghai(at: Date): string {
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS)
  const weekday = '日一二三四五六'[local.getUTCDay()]
  const hh = String(local.getUTCHours()).padStart(2, '0')
  const mm = String(local.getUTCMinutes()).padStart(2, '0')
  return `${local.getUTCMonth() + 1}月${local.getUTCDate()}日（周${weekday}）${hh}:${mm}`
}
