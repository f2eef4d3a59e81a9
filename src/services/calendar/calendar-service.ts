import type { EntityManager } from 'typeorm'
import { loadStaffCalendar, lockCalendar, saveStaffCalendarDay } from '../../db/calendar-store'
import { appendCaseEvent, audit } from '../../db/case-store'
import { runningCasesOver } from '../../db/case-queries'
import type { ChineseWorkdayCalendar, StaffCalendarEntry } from '../../domain/chinese-calendar'
import { shanghaiInstant } from '../../domain/working-time'
import type { CaseClock } from '../cases/case-clock'

/**
 * A staff entry in the working-day calendar (or its removal), with its effect on the cases it touches:
 * every open case whose clock runs over that day gets its deadline and timers recounted, with a history
 * event. Only what is still to run moves: time already counted stays counted.
 */
export async function changeCalendarDay(
  manager: EntityManager,
  clock: CaseClock,
  calendar: ChineseWorkdayCalendar,
  change: { date: string; entry: StaffCalendarEntry | null; actor: string; now: Date },
): Promise<{ recounted: number; entries: Map<string, StaffCalendarEntry> }> {
  // One calendar change at a time: each recount must see the calendar the previous one left.
  await lockCalendar(manager)
  const before = await loadStaffCalendar(manager)
  await saveStaffCalendarDay(manager, change.date, change.entry, change.actor, change.now)
  const after = await loadStaffCalendar(manager)
  const dayEnds = shanghaiInstant(change.date, 24 * 60)
  const running = await runningCasesOver(manager, change.now, dayEnds)
  const old = calendar.withStaffEntries(before)
  const next = calendar.withStaffEntries(after)
  let recounted = 0
  for (const c of running) {
    const dueAt = await clock.recount(manager, c, change.now, old, next)
    if (!dueAt) continue
    recounted += 1
    await appendCaseEvent(
      manager,
      c.id,
      change.actor,
      'sla_recounted',
      { calendarDay: change.date, from: c.reply_due_at, to: dueAt },
      change.now,
    )
  }
  await audit(manager, {
    actor: change.actor,
    action: change.entry ? 'calendar.day_set' : 'calendar.day_cleared',
    subjectType: 'calendar_day',
    subjectId: change.date,
    details: { ...(change.entry ?? {}), recountedCases: recounted },
    at: change.now,
  })
  return { recounted, entries: after }
}
