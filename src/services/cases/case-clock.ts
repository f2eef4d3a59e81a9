import type { EntityManager } from 'typeorm'
import {
  addClockTime,
  clockMinutesBetween,
  reminderAt,
  replyPolicyFor,
  type ClockMode,
  type Deadline,
  type KnownWorkdayCalendar,
  type SlaPolicy,
  type SlaPolicies,
} from '../../domain/sla'
import type { BusinessHours } from '../../domain/working-time'
import { appendCaseEvent } from '../../db/case-store'
import { readCaseClock, startCaseClock, writeCaseClock } from '../../db/case-store'
import { cancelTimers, scheduleTimer, scheduleTimers, type TimerToSchedule } from '../../db/timers'
import { categoryByName } from '../../db/category-queries'
import { projectServiceSettings } from '../../db/organisation-queries'
import { projectClockSettings, type ProjectServiceSettings } from '../../domain/service-settings'

export const SLA_TIMERS = ['sla.remind', 'sla.breach', 'sla.group']
export const caseSubject = (caseId: number) => `case:${caseId}`
const solveTimer = (caseId: number, dueAt: Date): TimerToSchedule => ({
  kind: 'sla.solve',
  subjectKey: caseSubject(caseId),
  dueAt,
  payload: { caseId },
})

export interface CaseClockSettings {
  policies: SlaPolicies
  calendar: KnownWorkdayCalendar
  businessHours: BusinessHours
  /** How long after closure the owner is asked for the callback survey. */
  surveyDelayMinutes: number
}

/**
 * Puts the SLA rules of src/domain onto cases: deadlines as columns, reminders and escalations as timers,
 * all inside the caller's transaction so they commit with the change that caused them.
 */
export class CaseClock {
  /** `resolved`: these settings are already a project's own (so they are not looked up again). */
  constructor(
    readonly settings: CaseClockSettings,
    private readonly resolved = false,
  ) {}

  /**
   * This clock with the service hours and SLA policies of the case's project. Every method below that
   * takes a case runs on it, so a project's own settings follow its cases whoever acts on them.
   */
  async forCase(manager: EntityManager, caseId: number): Promise<CaseClock> {
    if (this.resolved) return this
    return this.withOwn(await projectServiceSettings(manager, { caseId }))
  }

  /** This clock with a project's own service hours and SLA policies. */
  async forProject(manager: EntityManager, projectId: number | null): Promise<CaseClock> {
    if (this.resolved || projectId === null) return this
    return this.withOwn(await projectServiceSettings(manager, { projectId }))
  }

  private withOwn(own: ProjectServiceSettings | null): CaseClock {
    if (!own) return this
    const { policies, businessHours } = projectClockSettings(this.settings, own)
    return new CaseClock({ ...this.settings, policies, businessHours }, true)
  }

  /** When `policy` runs out, counted from `from` on this clock's calendar and business hours. */
  after(from: Date, policy: SlaPolicy): Deadline {
    return addClockTime(from, policy, this.settings.calendar, this.settings.businessHours)
  }

  /** A new case: the reply (or dispatch) deadline, a reminder before it and the breach timer at it. */
  async start(
    manager: EntityManager,
    c: {
      id: number
      kind: 'complaint' | 'repair' | 'alert'
      publicArea: boolean
      openedAt: Date
      /** Its project, where the caller knows it (its settings are then read without the case). */
      projectId?: number
    },
    /** The case's own clocks, where its intake sets them (forum, public incident). */
    clocks?: { reply: SlaPolicy; solve: SlaPolicy | null },
  ): Promise<Date> {
    const own =
      c.projectId === undefined
        ? await this.forCase(manager, c.id)
        : await this.forProject(manager, c.projectId)
    if (own !== this) return own.start(manager, c, clocks)
    const policy = clocks?.reply ?? replyPolicyFor(c.kind, false, this.settings.policies)
    const deadline = this.after(c.openedAt, policy)
    const solve = clocks
      ? clocks.solve
      : c.kind === 'alert'
        ? this.settings.policies.publicComplaintSolve
        : null
    // A public (group) complaint is reported within 3 h and must be solved within 12 h.
    const solvedBy = solve ? [solveTimer(c.id, this.after(c.openedAt, solve).dueAt)] : []
    // A (re)started clock has not been met yet.
    await startCaseClock(manager, c.id, { reply_due_at: deadline.dueAt, sla_mode: policy.mode }, [
      ...this.deadlineTimers(c.id, c.openedAt, deadline.dueAt),
      ...solvedBy,
    ])
    if (deadline.unknownYears.length > 0) {
      // Said loudly where staff look: the case history, and the health check warns about the calendar.
      await appendCaseEvent(
        manager,
        c.id,
        'system',
        'sla_calendar_unknown',
        { years: deadline.unknownYears },
        c.openedAt,
      )
    }
    return deadline.dueAt
  }

  /**
   * The reply was given (or the repair dispatched): the clock stops for good, and the moment is kept —
   * it is what the case's SLA state is judged by from now on (src/domain/sla-state.ts).
   */
  async met(manager: EntityManager, caseId: number, at: Date): Promise<void> {
    await cancelTimers(manager, caseSubject(caseId), SLA_TIMERS)
    await writeCaseClock(manager, caseId, {
      sla_paused_at: null,
      sla_remaining_minutes: null,
      reply_met_at: at,
      metOnlyIfUnset: true,
    })
  }

  /** Waiting for the owner stops the clock; what was left is kept. */
  async pause(manager: EntityManager, caseId: number, at: Date): Promise<void> {
    const own = await this.forCase(manager, caseId)
    if (own !== this) return own.pause(manager, caseId, at)
    const c = await readCaseClock(manager, caseId)
    if (!c?.reply_due_at || !c.sla_mode || c.sla_paused_at) return
    const remaining = clockMinutesBetween(
      at,
      c.reply_due_at,
      c.sla_mode,
      this.settings.calendar,
      this.settings.businessHours,
    )
    await writeCaseClock(manager, caseId, { sla_paused_at: at, sla_remaining_minutes: remaining })
    await cancelTimers(manager, caseSubject(caseId), SLA_TIMERS)
  }

  /** The owner answered: the clock runs again with what was left. */
  async resume(manager: EntityManager, caseId: number, at: Date): Promise<void> {
    const own = await this.forCase(manager, caseId)
    if (own !== this) return own.resume(manager, caseId, at)
    const c = await readCaseClock(manager, caseId)
    if (!c?.sla_paused_at || !c.sla_mode || c.sla_remaining_minutes === null) return
    const deadline = this.after(at, { mode: c.sla_mode, minutes: c.sla_remaining_minutes })
    await writeCaseClock(manager, caseId, {
      reply_due_at: deadline.dueAt,
      sla_paused_at: null,
      sla_remaining_minutes: null,
    })
    await this.scheduleDeadline(manager, caseId, at, deadline.dueAt)
  }

  /** Closure: the SLA timers go, the callback survey comes (and a second one for major works). */
  async closed(
    manager: EntityManager,
    c: { id: number; kind: string; category: string; closedAt: Date },
  ): Promise<void> {
    const own = await this.forCase(manager, c.id)
    if (own !== this) return own.closed(manager, c)
    await this.met(manager, c.id, c.closedAt)
    const subject = caseSubject(c.id)
    const surveyAt = new Date(c.closedAt.getTime() + this.settings.surveyDelayMinutes * 60_000)
    await scheduleTimer(manager, 'survey.send', subject, surveyAt, { caseId: c.id, round: 1 })
    const callbackDue = this.after(c.closedAt, this.settings.policies.firstCallback)
    await scheduleTimer(manager, 'callback.due', subject, callbackDue.dueAt, { caseId: c.id, round: 1 })
    // Major works (a category the developer marks; 防水渗漏 and 供暖空调 to start with) get a second callback.
    if (c.kind === 'repair' && (await categoryByName(manager, 'repair', c.category))?.majorWorks) {
      const second = this.after(c.closedAt, this.settings.policies.secondCallback)
      await scheduleTimer(manager, 'survey.second', subject, second.dueAt, { caseId: c.id, round: 2 })
    }
  }

  /**
   * The calendar changed under a running clock: the time it still had to run (counted on the calendar
   * before) is counted again on the calendar after, from now; the deadline and its timers move with it.
   * Returns the new deadline, or null when it did not move.
   */
  async recount(
    manager: EntityManager,
    c: { id: number; reply_due_at: Date; sla_mode: ClockMode },
    now: Date,
    before: KnownWorkdayCalendar,
    after: KnownWorkdayCalendar,
  ): Promise<Date | null> {
    const own = await this.forCase(manager, c.id)
    if (own !== this) return own.recount(manager, c, now, before, after)
    const hours = this.settings.businessHours
    const remaining = clockMinutesBetween(now, c.reply_due_at, c.sla_mode, before, hours)
    const dueAt = addClockTime(now, { mode: c.sla_mode, minutes: remaining }, after, hours).dueAt
    if (dueAt.getTime() === c.reply_due_at.getTime()) return null
    await writeCaseClock(manager, c.id, { reply_due_at: dueAt })
    await cancelTimers(manager, caseSubject(c.id), SLA_TIMERS)
    await this.scheduleDeadline(manager, c.id, now, dueAt)
    return dueAt
  }

  private async scheduleDeadline(
    manager: EntityManager,
    caseId: number,
    from: Date,
    dueAt: Date,
  ): Promise<void> {
    await scheduleTimers(manager, this.deadlineTimers(caseId, from, dueAt))
  }

  /** A reply deadline's timers: a reminder before it (when there is time for one) and the breach at it. */
  private deadlineTimers(caseId: number, from: Date, dueAt: Date): TimerToSchedule[] {
    const subjectKey = caseSubject(caseId)
    const remindAt = reminderAt(from, dueAt, this.settings.policies.reminderLeadMinutes)
    return [
      ...(remindAt ? [{ kind: 'sla.remind', subjectKey, dueAt: remindAt, payload: { caseId, dueAt } }] : []),
      { kind: 'sla.breach', subjectKey, dueAt, payload: { caseId } },
    ]
  }
}
