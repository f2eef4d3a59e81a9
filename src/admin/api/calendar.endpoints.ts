import { z } from 'zod'
import type { ChineseWorkdayCalendar } from '../../domain/chinese-calendar'
import { changeCalendarDay } from '../../services/calendar/calendar-service'
import type { CaseClock } from '../../services/cases/case-clock'
import { ApiError } from '../middleware/error-handler'
import { ALL_ROLES, endpoint, type Request } from './endpoint'

const year = z.coerce.number().int().min(2000).max(2199)
const dayParams = z.object({
  year,
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
    .refine(
      (date) =>
        !Number.isNaN(Date.parse(`${date}T00:00:00Z`)) &&
        new Date(`${date}T00:00:00Z`).toISOString().startsWith(date),
      'a real date',
    ),
})
type DayParams = { year: string; date: string }

function sameYear(params: DayParams): string {
  if (params.date.slice(0, 4) !== params.year)
    throw new ApiError(400, 'INVALID_INPUT', 'the date is not in that year')
  return params.date
}

const CALENDAR_EDITORS = ['admin', 'group_centre'] as const

/**
 * The working-day calendar the SLA clock runs on: the official arrangement where known, the law's
 * holidays for any year, and the days staff enter on top (docs/service-rules.md, "Clocks").
 */
export function calendarEndpoints(clock: CaseClock, calendar: ChineseWorkdayCalendar) {
  const change = async (
    request: Request<unknown, { working: boolean; name: string } | undefined>,
    clear: boolean,
  ) => {
    const date = sameYear(request.params as DayParams)
    const actor = `staff:${request.staff.tokenId}:${request.staff.name}`
    const entry = clear ? null : (request.body as { working: boolean; name: string })
    const result = await request.deps.dataSource.transaction((manager) =>
      changeCalendarDay(manager, clock, calendar, { date, entry, actor, now: request.deps.now() }),
    )
    calendar.useStaffEntries(result.entries)
    return { day: calendar.day(date), recountedCases: result.recounted }
  }
  return [
    endpoint({
      method: 'get',
      path: '/calendar/:year',
      summary: 'Every day of the year that differs from a plain Monday–Friday week, and where it comes from',
      roles: ALL_ROLES,
      params: z.object({ year }),
      async handle({ params }) {
        const y = Number(params.year)
        return { year: y, official: calendar.knowsYear(y), days: calendar.exceptions(y) }
      },
    }),
    endpoint({
      method: 'put',
      path: '/calendar/:year/days/:date',
      summary: 'Record a staff entry: the day is working or not; open cases running over it are recounted',
      roles: CALENDAR_EDITORS,
      params: dayParams,
      body: z.object({ working: z.boolean(), name: z.string().trim().min(1).max(32) }),
      handle: (request: Request<unknown, { working: boolean; name: string }>) => change(request, false),
    }),
    endpoint({
      method: 'delete',
      path: '/calendar/:year/days/:date',
      summary: 'Remove a staff entry: the official or statutory status applies again',
      roles: CALENDAR_EDITORS,
      params: dayParams,
      handle: (request: Request<unknown, undefined>) => change(request, true),
    }),
  ]
}
