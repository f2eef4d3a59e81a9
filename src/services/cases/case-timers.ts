import type { EntityManager } from 'typeorm'
import { CaseLifecycle } from './case-lifecycle'
import { GROUP_WARNING_CHECK, raiseGroupWarningIfClustered } from './group-warning'
import { enqueueOutgoing } from '../../bot/outbox'
import type { CaseClock } from './case-clock'
import { ownerDialogDeps, type DialogSettings } from '../dialog-registry'
import { latestConversationOf } from '../notifications/owner-notifications'
import { monthlyComplaintReport } from '../reports/monthly-report'
import { lockCaseForTimer, type TimerCaseRow } from '../../db/case-queries'
import { ownerName, setConversationDialog } from '../../db/conversation-queries'
import { markSurveySent, surveyAnswered } from '../../db/survey-queries'
import { groupCentreId, notifyStaff } from '../notifications/staff-notifications'
import { scheduleTimer } from '../../db/timers'
import { copy } from '../../copy'
import { surveyDialog } from '../../dialogs/flows/survey.dialog'
import { runTurn } from '../../dialogs/runtime/runner'
import { text } from '../../dialogs/runtime/messages'
import { formatShanghai, shanghaiClock, shanghaiInstant } from '../../domain/working-time'
import type { DueTimer, TimerHandler } from '../../db/timer-sweep'

type CaseRow = TimerCaseRow

export interface CaseTimerSettings {
  clock: CaseClock
  dialogs: DialogSettings
  maxTries: number
  /** How long a proactive survey waits for the owner's answer before the dialog expires. */
  surveyDialogMinutes: number
}

function loadCase(manager: EntityManager, timer: DueTimer): Promise<CaseRow | null> {
  return lockCaseForTimer(manager, Number(timer.payload.caseId))
}

const finished = (c: CaseRow) => c.status === 'resolved' || c.status === 'closed'

/** Every timer kind the app schedules, and what firing it does. */
export function caseTimerHandlers(settings: CaseTimerSettings): Record<string, TimerHandler> {
  return {
    async 'sla.remind'(manager, timer, now) {
      const c = await loadCase(manager, timer)
      // A reminder that comes due only after the deadline (downtime) is left to the breach timer.
      if (!c || finished(c) || c.sla_paused_at || !c.reply_due_at || c.reply_due_at <= now) return
      await notifyStaff(
        manager,
        c.ambassador_id,
        copy.staff.slaReminder(c.case_no, formatShanghai(c.reply_due_at)),
      )
    },

    async 'sla.breach'(manager, timer, now) {
      const c = await loadCase(manager, timer)
      if (!c || finished(c) || c.sla_paused_at) return
      await new CaseLifecycle(manager, settings.clock, now).escalate(c, 1, 'system', 'sla_breached', {
        dueAt: c.reply_due_at,
        level: 1,
      })
      const clock = await settings.clock.forCase(manager, c.id)
      const groupAt = clock.after(now, clock.settings.policies.groupEscalationAfter).dueAt
      await scheduleTimer(manager, 'sla.group', timer.subject_key, groupAt, { caseId: c.id })
    },

    async 'sla.group'(manager, timer, now) {
      const c = await loadCase(manager, timer)
      if (!c || finished(c) || c.sla_paused_at || c.escalation_level >= 2) return
      await new CaseLifecycle(manager, settings.clock, now).escalate(c, 2, 'system', 'escalated', {
        to: 'group',
        reason: 'sla',
      })
    },

    async 'sla.solve'(manager, timer, now) {
      const c = await loadCase(manager, timer)
      if (!c || finished(c)) return
      await new CaseLifecycle(manager, settings.clock, now).escalate(c, 2, 'system', 'solve_overdue', {
        policy: 'publicComplaintSolve',
      })
    },

    async [GROUP_WARNING_CHECK](manager, timer, now) {
      const { projectId, category } = timer.payload
      await raiseGroupWarningIfClustered(
        manager,
        Number(projectId),
        String(category),
        now,
        settings.dialogs.groupWarning,
        settings.clock,
      )
    },

    'survey.send': (manager, timer, now) => sendSurvey(manager, timer, now, settings),
    'survey.second': (manager, timer, now) => sendSurvey(manager, timer, now, settings),

    async 'callback.due'(manager, timer) {
      const c = await loadCase(manager, timer)
      if (!c || c.cancelled) return
      if (await surveyAnswered(manager, c.id, Number(timer.payload.round ?? 1))) return
      await notifyStaff(
        manager,
        c.ambassador_id,
        copy.staff.callOwner(c.case_no, await ownerName(manager, c.owner_id)),
      )
    },

    async 'report.monthly'(manager, timer, now) {
      const { period, total } = await monthlyComplaintReport(manager, now)
      await notifyStaff(manager, await groupCentreId(manager), copy.staff.monthlyReport(period, total))
      await scheduleTimer(manager, 'report.monthly', timer.subject_key, nextMonthlyReportAt(now))
    },
  }
}

/** The 5th of next month, 09:00 Shanghai: reports are due by the 5th (docs/service-rules.md). */
export function nextMonthlyReportAt(now: Date): Date {
  const { ymd } = shanghaiClock(now)
  const [y, m] = ymd.split('-').map(Number)
  const next = new Date(Date.UTC(y, m, 5)).toISOString().slice(0, 10)
  return shanghaiInstant(next, 9 * 60)
}

/**
 * Asks the owner for the callback survey where they last talked to us. If they are in the middle of
 * something, they get an invitation instead of an interruption; without any chat identity the
 * ambassador is asked to call.
 */
async function sendSurvey(
  manager: EntityManager,
  timer: DueTimer,
  now: Date,
  settings: CaseTimerSettings,
): Promise<void> {
  const c = await loadCase(manager, timer)
  if (!c || !finished(c) || c.cancelled || c.owner_id === null || c.household_id === null) return
  const round = Number(timer.payload.round ?? 1)
  await markSurveySent(manager, { caseId: c.id, round, ownerId: c.owner_id }, now)
  if (await surveyAnswered(manager, c.id, round)) return

  const conversation = await latestConversationOf(manager, c.owner_id)
  if (!conversation) {
    await notifyStaff(
      manager,
      c.ambassador_id,
      copy.staff.callOwner(c.case_no, await ownerName(manager, c.owner_id)),
    )
    return
  }
  const busy = conversation.dialog !== null && (conversation.dialog_expires_at ?? now) > now
  if (busy) {
    await enqueueOutgoing(manager, conversation, null, [text(copy.survey.invite(c.case_no))])
    return
  }
  const session = {
    ownerId: c.owner_id,
    ownerName: conversation.owner_name,
    householdId: c.household_id,
    channel: conversation.channel,
    conversationId: conversation.id,
  }
  const turn = await runTurn(
    surveyDialog,
    null,
    null,
    ownerDialogDeps(manager, session, now, settings.dialogs),
    {
      maxTries: settings.maxTries,
    },
  )
  await setConversationDialog(
    manager,
    conversation.id,
    turn.state ?? null,
    turn.state ? new Date(now.getTime() + settings.surveyDialogMinutes * 60_000) : null,
  )
  await enqueueOutgoing(manager, conversation, null, [text(copy.survey.intro(c.case_no)), ...turn.outgoing])
}
