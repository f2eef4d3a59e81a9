import type { EntityManager } from 'typeorm'
import { CaseLifecycle } from './case-lifecycle'
import { enqueueOutgoing } from '../../bot/outbox'
import type { CaseClock } from './case-clock'
import { pgDialogDeps, type DialogSettings } from '../dialog-deps'
import { latestConversationOf } from '../notifications/owner-notifications'
import { monthlyComplaintReport } from '../reports/monthly-report'
import { queryRows } from '../../db/sql'
import { groupCentreId, notifyStaff } from '../notifications/staff-notifications'
import { scheduleTimer } from '../../db/timers'
import { copy } from '../../copy'
import { surveyDialog } from '../../dialogs/flows/survey.dialog'
import { runTurn } from '../../dialogs/runtime/runner'
import { text } from '../../dialogs/runtime/messages'
import { formatShanghai, shanghaiClock, shanghaiInstant } from '../../domain/working-time'
import type { DueTimer, TimerHandler } from '../../db/timer-sweep'

interface CaseRow {
  id: number
  case_no: string
  kind: string
  category: string
  status: string
  project_id: number
  owner_id: number | null
  household_id: number | null
  ambassador_id: number | null
  ambassador_name: string | null
  escalation_level: number
  reply_due_at: Date | null
  sla_paused_at: Date | null
  cancelled: boolean
}

export interface CaseTimerSettings {
  clock: CaseClock
  dialogs: DialogSettings
  maxTries: number
  /** How long a proactive survey waits for the owner's answer before the dialog expires. */
  surveyDialogMinutes: number
}

async function loadCase(manager: EntityManager, timer: DueTimer): Promise<CaseRow | null> {
  const rows = await queryRows<CaseRow>(
    manager,
    `SELECT c.id, c.case_no, c.kind, c.category, c.status, c.project_id, c.owner_id, c.household_id,
            c.ambassador_id, a.name AS ambassador_name, c.escalation_level, c.reply_due_at, c.sla_paused_at,
            COALESCE((c.details->>'cancelledByOwner')::boolean, false) AS cancelled
       FROM service_case c LEFT JOIN ambassador a ON a.id = c.ambassador_id
      WHERE c.id = $1 FOR UPDATE OF c`,
    [timer.payload.caseId],
  )
  return rows[0] ?? null
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
      const groupAt = settings.clock.after(now, settings.clock.settings.policies.groupEscalationAfter).dueAt
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

    'survey.send': (manager, timer, now) => sendSurvey(manager, timer, now, settings),
    'survey.second': (manager, timer, now) => sendSurvey(manager, timer, now, settings),

    async 'callback.due'(manager, timer) {
      const c = await loadCase(manager, timer)
      if (!c || c.cancelled) return
      const answered = await manager.query(
        `SELECT 1 FROM survey WHERE case_id = $1 AND round = $2 AND answered_at IS NOT NULL`,
        [c.id, timer.payload.round ?? 1],
      )
      if (answered.length > 0) return
      const [owner] = await manager.query(`SELECT name FROM owner WHERE id = $1`, [c.owner_id])
      await notifyStaff(manager, c.ambassador_id, copy.staff.callOwner(c.case_no, owner?.name ?? ''))
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
  await manager.query(
    `INSERT INTO survey (case_id, round, owner_id, sent_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (case_id, round) DO UPDATE SET sent_at = COALESCE(survey.sent_at, EXCLUDED.sent_at)`,
    [c.id, round, c.owner_id, now],
  )
  const answered = await manager.query(
    `SELECT 1 FROM survey WHERE case_id = $1 AND round = $2 AND answered_at IS NOT NULL`,
    [c.id, round],
  )
  if (answered.length > 0) return

  const conversation = await latestConversationOf(manager, c.owner_id)
  if (!conversation) {
    const [owner] = await manager.query(`SELECT name FROM owner WHERE id = $1`, [c.owner_id])
    await notifyStaff(manager, c.ambassador_id, copy.staff.callOwner(c.case_no, owner?.name ?? ''))
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
    pgDialogDeps(manager, session, now, settings.dialogs),
    {
      maxTries: settings.maxTries,
    },
  )
  await manager.query(`UPDATE conversation SET dialog = $2, dialog_expires_at = $3 WHERE id = $1`, [
    conversation.id,
    turn.state ? JSON.stringify(turn.state) : null,
    turn.state ? new Date(now.getTime() + settings.surveyDialogMinutes * 60_000) : null,
  ])
  await enqueueOutgoing(manager, conversation, null, [text(copy.survey.intro(c.case_no)), ...turn.outgoing])
}
