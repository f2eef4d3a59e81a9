import { shanghaiClock, shanghaiInstant, type WorkdayCalendar } from './working-time'

/**
 * A project's repair capacity as the service team plans it: visit windows on working days, each with
 * how many visits the repair team can make in it, opened `daysAhead` days in advance. Public holidays
 * and weekends open nothing; make-up working days (调休) open as any working day.
 */
export interface RepairCapacity {
  windows: { start: string; end: string; capacity: number }[]
  daysAhead: number
}

const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/** Why a template cannot be used, or null: windows must be real times, in order, and not overlap. */
export function capacityProblem(template: RepairCapacity): string | null {
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
    if (!calendar.isWorkday(ymd)) continue
    for (const window of template.windows) {
      if (window.capacity <= 0) continue
      slots.push({
        startsAt: shanghaiInstant(ymd, minuteOf(window.start)),
        endsAt: shanghaiInstant(ymd, minuteOf(window.end)),
        capacity: window.capacity,
      })
    }
  }
  return slots
}
