import { shanghaiClock, shanghaiInstant, type WorkdayCalendar } from './working-time'

/**
 * The repair capacity of a project, or of one of its repair teams, as the service team plans it: visit
 * windows on working days (all of them, or some weekdays: a team that visits on Monday, Wednesday and
 * Friday), each with how many visits fit in it, opened `daysAhead` days in advance. Public holidays and
 * weekends open nothing; make-up working days (调休) open as any working day.
 */
export interface RepairCapacity {
  windows: CapacityWindow[]
  daysAhead: number
  /**
   * Days that differ from the template, by Shanghai date: the team off (no windows), more or fewer
   * visits, other hours, or a weekend or holiday worked. An exception opens its day whatever the calendar.
   */
  exceptions?: Record<string, CapacityWindow[]>
}

export interface CapacityWindow {
  start: string
  end: string
  capacity: number
  /** ISO weekdays (1 = Monday … 7 = Sunday) the window is kept on; absent for every working day. */
  weekdays?: number[]
}

/** 1 = Monday … 7 = Sunday, of a YYYY-MM-DD date. */
export function isoWeekday(ymd: string): number {
  return new Date(`${ymd}T00:00:00Z`).getUTCDay() || 7
}

const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/** Why a template cannot be used, or null: windows must be real times, in order, and not overlap. */
export function capacityProblem(template: Pick<RepairCapacity, 'windows'>): string | null {
  const windows = [...template.windows].sort((a, b) => minuteOf(a.start) - minuteOf(b.start))
  for (const [i, window] of windows.entries()) {
    if (minuteOf(window.start) >= minuteOf(window.end))
      return `window ${window.start}-${window.end} ends before it starts`
    const next = windows[i + 1]
    if (next && minuteOf(next.start) < minuteOf(window.end))
      return `windows ${window.start}-${window.end} and ${next.start}-${next.end} overlap`
  }
  return null
}

/** The slots the template opens from the day after `now` (Shanghai) for `daysAhead` days. */
export function slotsToOpen(
  template: RepairCapacity,
  now: Date,
  calendar: WorkdayCalendar,
): { startsAt: Date; endsAt: Date; capacity: number }[] {
  const today = shanghaiClock(now).ymd
  const slots: { startsAt: Date; endsAt: Date; capacity: number }[] = []
  for (let day = 1; day <= template.daysAhead; day += 1) {
    const ymd = shanghaiClock(shanghaiInstant(today, 12 * 60 + day * 24 * 60)).ymd
    const exception = template.exceptions?.[ymd]
    if (!exception && !calendar.isWorkday(ymd)) continue
    slots.push(...daySlots(ymd, exception ?? template.windows))
  }
  return slots
}

/** One day's slots from its windows (those with no capacity open nothing). */
export function daySlots(
  ymd: string,
  windows: readonly CapacityWindow[],
): { startsAt: Date; endsAt: Date; capacity: number }[] {
  const weekday = isoWeekday(ymd)
  return windows
    .filter((window) => window.capacity > 0 && (!window.weekdays || window.weekdays.includes(weekday)))
    .map((window) => ({
      startsAt: shanghaiInstant(ymd, minuteOf(window.start)),
      endsAt: shanghaiInstant(ymd, minuteOf(window.end)),
      capacity: window.capacity,
    }))
}
