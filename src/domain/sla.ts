/**
 * The SLA clock. "Within 24 hours of normal working days" (正常工作日24小时内) runs only on Chinese working
 * days: weekends and public holidays pause it, make-up working days (调休) run it. Pure: the calendar is a
 * port, times are instants, all wall-clock reasoning is in Asia/Shanghai.
 */
import { shanghaiClock, shanghaiInstant, type BusinessHours, type WorkdayCalendar } from './working-time'

export type ClockMode =
  /** Every minute of a working day counts (00:00–24:00); non-working days are skipped. */
  | 'workday'
  /** Only business hours of working days count (e.g. 09:00–17:30). */
  | 'business'
  /** Wall-clock time: forum complaints, repair dispatch, callbacks. */
  | 'calendar'

export interface SlaPolicy {
  mode: ClockMode
  minutes: number
}

/** A calendar that can say which dates it truly knows (the official schedule is published yearly). */
export interface KnownWorkdayCalendar extends WorkdayCalendar {
  knowsYear(year: number): boolean
}

export interface Deadline {
  dueAt: Date
  /** Years the computation crossed that the calendar has no official data for: the deadline may be wrong. */
  unknownYears: number[]
}

const DAY_MINUTES = 24 * 60

function nextDay(ymd: string): string {
  return new Date(Date.parse(`${ymd}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
}

/** The part of a Shanghai day, in minutes since midnight, during which the clock runs. */
function runningWindow(
  ymd: string,
  mode: Exclude<ClockMode, 'calendar'>,
  calendar: WorkdayCalendar,
  hours: BusinessHours,
): [number, number] | null {
  if (!calendar.isWorkday(ymd)) return null
  return mode === 'workday' ? [0, DAY_MINUTES] : [hours.openMinute, hours.closeMinute]
}

/** Adds `minutes` of running clock to `start`. */
export function addClockTime(
  start: Date,
  policy: SlaPolicy,
  calendar: KnownWorkdayCalendar,
  hours: BusinessHours,
): Deadline {
  if (policy.mode === 'calendar') {
    const dueAt = new Date(start.getTime() + policy.minutes * 60_000)
    return { dueAt, unknownYears: unknownYearsBetween(start, dueAt, calendar) }
  }
  const mode = policy.mode
  let { ymd, minute } = shanghaiClock(start)
  // Seconds of the start minute carry over only while the clock runs from the very start.
  let carryMs = start.getUTCSeconds() * 1000 + start.getUTCMilliseconds()
  let remaining = policy.minutes
  const unknown = new Set<number>()
  // Bounded: a year has at least 240 working days, so this covers any SLA of up to several years.
  for (let guard = 0; guard < 3 * 366; guard += 1) {
    const year = Number(ymd.slice(0, 4))
    if (!calendar.knowsYear(year)) unknown.add(year)
    const window = runningWindow(ymd, mode, calendar, hours)
    if (window) {
      const from = Math.max(minute, window[0])
      if (from !== minute) carryMs = 0
      const available = Math.max(0, window[1] - from)
      if (remaining <= available && (remaining > 0 || from < window[1])) {
        const due = shanghaiInstant(ymd, from + remaining)
        return { dueAt: new Date(due.getTime() + carryMs), unknownYears: [...unknown] }
      }
      remaining -= available
    }
    carryMs = 0
    ymd = nextDay(ymd)
    minute = 0
  }
  throw new RangeError(`SLA of ${policy.minutes} minutes does not end within three years`)
}

/** Running-clock minutes between two instants (0 if `to` is not after `from`): what is left when paused. */
export function clockMinutesBetween(
  from: Date,
  to: Date,
  mode: ClockMode,
  calendar: WorkdayCalendar,
  hours: BusinessHours,
): number {
  if (to <= from) return 0
  if (mode === 'calendar') return Math.floor((to.getTime() - from.getTime()) / 60_000)
  const end = shanghaiClock(to)
  let { ymd, minute } = shanghaiClock(from)
  let total = 0
  for (let guard = 0; guard < 3 * 366 && ymd <= end.ymd; guard += 1) {
    const window = runningWindow(ymd, mode, calendar, hours)
    if (window) {
      const lo = Math.max(minute, window[0])
      const hi = Math.min(ymd === end.ymd ? end.minute : DAY_MINUTES, window[1])
      total += Math.max(0, hi - lo)
    }
    ymd = nextDay(ymd)
    minute = 0
  }
  return total
}

function unknownYearsBetween(from: Date, to: Date, calendar: KnownWorkdayCalendar): number[] {
  const years: number[] = []
  for (
    let y = Number(shanghaiClock(from).ymd.slice(0, 4));
    y <= Number(shanghaiClock(to).ymd.slice(0, 4));
    y += 1
  ) {
    if (!calendar.knowsYear(y)) years.push(y)
  }
  return years
}

/** The service rules of docs/service-rules.md as defaults; every number can be changed in configuration. */
export interface SlaPolicies {
  /** Substantive reply to a complaint: 24 hours of working days. */
  complaintReply: SlaPolicy
  /** Complaints posted on the public forum: a reply within 48 working hours. */
  forumReply: SlaPolicy
  /** An emergency repair (gas, water, power) is taken by the on-duty staff within 30 minutes, day or night. */
  emergencyDispatch: SlaPolicy
  /** An owner who asked for a person is picked up by staff within 30 service minutes, else the supervisor is told. */
  handOffPickup: SlaPolicy
  /** Public or forum complaints: reported to the group within 3 hours … */
  publicComplaintReport: SlaPolicy
  /** … and solved with feedback within 12 hours. */
  publicComplaintSolve: SlaPolicy
  /**
   * A repair is dispatched within 10 minutes of the report — minutes of service hours: a repair booked
   * at 22:00 is due 10 minutes after the desk opens, and pages nobody at night.
   */
  repairDispatch: SlaPolicy
  /** First callback within 24 hours after closure. */
  firstCallback: SlaPolicy
  /** Second callback within 2 months for major works. */
  secondCallback: SlaPolicy
  /** Design-change notices within 2 days of the engineering notice. */
  designChangeNotice: SlaPolicy
  /** Ambassadors are reminded this long before a deadline (calendar minutes). */
  reminderLeadMinutes: number
  /** After a breach escalated to the branch head, the group centre is told if nothing moves within this. */
  groupEscalationAfter: SlaPolicy
}

export const DEFAULT_SLA_POLICIES: SlaPolicies = {
  complaintReply: { mode: 'workday', minutes: 24 * 60 },
  forumReply: { mode: 'workday', minutes: 48 * 60 },
  handOffPickup: { mode: 'business', minutes: 30 },
  emergencyDispatch: { mode: 'calendar', minutes: 30 },
  publicComplaintReport: { mode: 'calendar', minutes: 3 * 60 },
  publicComplaintSolve: { mode: 'calendar', minutes: 12 * 60 },
  repairDispatch: { mode: 'business', minutes: 10 },
  firstCallback: { mode: 'calendar', minutes: 24 * 60 },
  secondCallback: { mode: 'calendar', minutes: 61 * 24 * 60 },
  designChangeNotice: { mode: 'workday', minutes: 2 * 24 * 60 },
  reminderLeadMinutes: 4 * 60,
  groupEscalationAfter: { mode: 'workday', minutes: 24 * 60 },
}

/**
 * Where a case came in. The chat bot is the online form; staff log the others: the customer centre's
 * phone, walk-ins, letters and email, the property office, the public forum, and public incidents
 * (media, a crowd at the sales office) that go to the group at once.
 */
export const INTAKE_CHANNELS = [
  'hotline',
  'walk_in',
  'letter',
  'email',
  'property_office',
  'forum',
  'public_incident',
] as const
export type StaffIntakeChannel = (typeof INTAKE_CHANNELS)[number]

/** The reply clock of a case staff open, by where it came in (docs/service-rules.md, "Clocks"). */
export function intakePolicy(
  kind: 'complaint' | 'repair',
  channel: StaffIntakeChannel,
  policies: SlaPolicies,
): { reply: SlaPolicy; solve: SlaPolicy | null } {
  if (kind === 'repair') return { reply: policies.repairDispatch, solve: null }
  if (channel === 'public_incident')
    return { reply: policies.publicComplaintReport, solve: policies.publicComplaintSolve }
  if (channel === 'forum') return { reply: policies.forumReply, solve: null }
  return { reply: policies.complaintReply, solve: null }
}

/** Which clock a new case runs on: by kind, and for complaints by where they were made. */
export function replyPolicyFor(
  kind: 'complaint' | 'repair' | 'alert',
  publicChannel: boolean,
  policies: SlaPolicies,
): SlaPolicy {
  if (kind === 'repair') return policies.repairDispatch
  if (kind === 'alert' || publicChannel) return policies.publicComplaintReport
  return policies.complaintReply
}

/** When to remind: `lead` minutes before the deadline, but never before the case was opened. */
export function reminderAt(openedAt: Date, dueAt: Date, leadMinutes: number): Date | null {
  const at = new Date(dueAt.getTime() - leadMinutes * 60_000)
  if (at <= openedAt) {
    // A short SLA (10-minute dispatch): remind at the half-way point instead.
    const half = new Date(openedAt.getTime() + (dueAt.getTime() - openedAt.getTime()) / 2)
    return half > openedAt ? half : null
  }
  return at
}
