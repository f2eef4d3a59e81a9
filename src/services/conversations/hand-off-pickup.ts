import type { EntityManager } from 'typeorm'
import { copy } from '../../copy'
import { audit } from '../../db/case-store'
import { handOffAwaitingPickup } from '../../db/conversation-queries'
import { householdProject } from '../../db/household-queries'
import { branchHeadFor, groupCentreId, supervisorOf } from '../../db/staff-directory'
import { cancelTimers, scheduleTimer } from '../../db/timers'
import type { DueTimer, TimerHandler } from '../../db/timer-sweep'
import { formatShanghai } from '../../domain/working-time'
import type { CaseClock } from '../cases/case-clock'
import { notifyStaff } from '../notifications/staff-notifications'

const PICKUP_TIMER = 'handoff.pickup'
const subject = (conversationId: number) => `conversation:${conversationId}`

/**
 * An owner asked for a person: unless staff write in the conversation within the pick-up time (30
 * service minutes by default, `SLA_POLICIES.handOffPickup`), the handler's supervisor is told. Counted in
 * service hours, so an owner who asks at night is picked up after opening, not "overdue" at 00:30.
 */
export async function schedulePickupCheck(
  manager: EntityManager,
  clock: CaseClock,
  conversationId: number,
  handedOffAt: Date,
  /** The owner's project, whose service hours and pick-up time apply; null for the deployment's. */
  projectId: number | null,
): Promise<void> {
  const own = await clock.forProject(manager, projectId)
  const dueAt = own.after(handedOffAt, own.settings.policies.handOffPickup).dueAt
  await scheduleTimer(manager, PICKUP_TIMER, subject(conversationId), dueAt, {
    conversationId,
    handedOffAt: handedOffAt.toISOString(),
  })
}

/** The conversation went back to the bot: nobody need be chased. */
export async function cancelPickupCheck(manager: EntityManager, conversationId: number): Promise<void> {
  await cancelTimers(manager, subject(conversationId), [PICKUP_TIMER])
}

/**
 * Who is told when nobody picked the owner up: the handler's supervisor; for a handler without one (or
 * no handler at all), the project's branch head; failing that the group centre.
 */
async function pickupEscalationTarget(
  manager: EntityManager,
  handlerId: number | null,
  householdId: number | null,
): Promise<number | null> {
  const supervisor = await supervisorOf(manager, handlerId)
  if (supervisor) return supervisor.id
  const projectId = householdId === null ? null : await householdProject(manager, householdId)
  if (projectId !== null) {
    const head = await branchHeadFor(manager, projectId)
    if (head !== null && head !== handlerId) return head
  }
  return groupCentreId(manager)
}

export function handOffTimerHandlers(): Record<string, TimerHandler> {
  return {
    async [PICKUP_TIMER](manager: EntityManager, timer: DueTimer, now: Date) {
      const conversationId = Number(timer.payload.conversationId)
      const handedOffAt = new Date(String(timer.payload.handedOffAt))
      // Picked up, released, or handed off again since (which scheduled its own check): nothing to do.
      const waiting = await handOffAwaitingPickup(manager, conversationId, handedOffAt)
      if (!waiting) return
      const target = await pickupEscalationTarget(manager, waiting.handlerId, waiting.householdId)
      await notifyStaff(
        manager,
        target,
        copy.staff.handOffNotPickedUp({
          owner: waiting.ownerName ?? '业主',
          conversation: conversationId,
          handler: waiting.handlerName ? `客户大使：${waiting.handlerName}` : '尚未指定客户大使',
          since: formatShanghai(handedOffAt),
        }),
      )
      await audit(manager, {
        actor: 'system',
        action: 'conversation.pickup_overdue',
        subjectType: 'conversation',
        subjectId: String(conversationId),
        details: { handlerId: waiting.handlerId, toldStaffId: target },
        at: now,
      })
    },
  }
}
