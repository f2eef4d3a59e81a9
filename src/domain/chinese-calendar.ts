import { getHolidaysInRange, isWorkday } from 'chinese-days'
import type { KnownWorkdayCalendar } from './sla'

const known = new Map<number, boolean>()

/**
 * The official holiday calendar (holidays and 调休 make-up days) from the maintained chinese-days package.
 * For a year the package has no data for it silently answers "weekends only"; `knowsYear` tells them apart
 * (every real year has public holidays), so the SLA clock can say when it is guessing.
 */
export const chineseWorkdayCalendar: KnownWorkdayCalendar = {
  isWorkday: (ymd) => isWorkday(ymd),
  knowsYear(year) {
    let answer = known.get(year)
    if (answer === undefined) {
      answer = getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0
      known.set(year, answer)
    }
    return answer
  },
}

/** The last year the calendar knows, looking ahead from `fromYear` (for health checks). */
export function calendarKnownThrough(fromYear: number): number {
  let year = fromYear
  while (chineseWorkdayCalendar.knowsYear(year + 1)) year += 1
  return chineseWorkdayCalendar.knowsYear(fromYear) ? year : fromYear - 1
}
