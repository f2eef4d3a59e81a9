import { getDayDetail, getHolidaysInRange, isWorkday as officialWorkday } from 'chinese-days'
import type { KnownWorkdayCalendar } from './sla'
import { lawHolidays } from './statutory-holidays'

/** Where a day's status comes from: the State Council's arrangement, the law alone, or staff. */
export type CalendarSource = 'official' | 'law' | 'staff'

export interface CalendarDay {
  date: string
  working: boolean
  name: string
  source: CalendarSource
}

/** A staff entry: a day off or a working day the office decided itself (a typhoon, a local holiday). */
export interface StaffCalendarEntry {
  working: boolean
  name: string
}

const officialYears = new Map<number, boolean>()
/** chinese-days answers "weekends only" for years it has no data for; every real year has holidays. */
export function officialArrangementKnown(year: number): boolean {
  let answer = officialYears.get(year)
  if (answer === undefined) {
    answer = getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0
    officialYears.set(year, answer)
  }
  return answer
}

const isWeekend = (ymd: string) => {
  const day = new Date(`${ymd}T00:00:00Z`).getUTCDay()
  return day === 0 || day === 6
}

const lawDays = new Map<number, Map<string, string>>()
function lawHolidayName(ymd: string): string | undefined {
  const year = Number(ymd.slice(0, 4))
  let days = lawDays.get(year)
  if (!days) {
    days = new Map(lawHolidays(year).map((d) => [d.date, d.name]))
    lawDays.set(year, days)
  }
  return days.get(ymd)
}

/**
 * The working-day calendar the SLA clock runs on: staff entries first, then the official arrangement
 * (holidays and 调休 make-up days) for the years chinese-days knows, else the law's holidays with 补假 —
 * so the calendar never runs out. Staff entries are swapped in as a whole (`useStaffEntries`), which the
 * app does at start, after every change and once a minute (other instances' changes).
 */
export class ChineseWorkdayCalendar implements KnownWorkdayCalendar {
  private staff: ReadonlyMap<string, StaffCalendarEntry> = new Map()

  useStaffEntries(entries: ReadonlyMap<string, StaffCalendarEntry>): void {
    this.staff = entries
  }

  /** The same rules with other staff entries (to compare deadlines before and after a change). */
  withStaffEntries(entries: ReadonlyMap<string, StaffCalendarEntry>): ChineseWorkdayCalendar {
    const other = new ChineseWorkdayCalendar()
    other.useStaffEntries(entries)
    return other
  }

  isWorkday(ymd: string): boolean {
    return this.day(ymd).working
  }

  /** Whether the official arrangement is known (else the law's holidays are used, without 调休). */
  knowsYear(year: number): boolean {
    return officialArrangementKnown(year)
  }

  day(ymd: string): CalendarDay {
    const entry = this.staff.get(ymd)
    if (entry) return { date: ymd, working: entry.working, name: entry.name, source: 'staff' }
    if (officialArrangementKnown(Number(ymd.slice(0, 4)))) {
      const detail = getDayDetail(ymd)
      const working = officialWorkday(ymd)
      const holiday = detail.name.includes(',') ? detail.name.split(',')[1] : ''
      const name = holiday && working && isWeekend(ymd) ? `${holiday}调休上班` : holiday
      return { date: ymd, working, name, source: 'official' }
    }
    const holiday = lawHolidayName(ymd)
    if (holiday) return { date: ymd, working: false, name: holiday, source: 'law' }
    return { date: ymd, working: !isWeekend(ymd), name: '', source: 'law' }
  }

  /** Every day of the year that differs from a plain Monday–Friday week, or that staff entered. */
  exceptions(year: number): CalendarDay[] {
    const days: CalendarDay[] = []
    for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
      const ymd = new Date(t).toISOString().slice(0, 10)
      const day = this.day(ymd)
      if (day.source === 'staff' || day.working === isWeekend(ymd)) days.push(day)
    }
    return days
  }
}

/** The calendar of this process; the app loads staff entries into it. */
export const chineseWorkdayCalendar = new ChineseWorkdayCalendar()

/** The last year whose official arrangement is known, looking ahead from `fromYear` (health checks). */
export function calendarKnownThrough(fromYear: number): number {
  let year = fromYear
  while (officialArrangementKnown(year + 1)) year += 1
  return officialArrangementKnown(fromYear) ? year : fromYear - 1
}
