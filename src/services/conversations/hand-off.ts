import type { EntityManager } from 'typeorm'
import { enqueueOutgoing } from '../../bot/outbox'
import { copy } from '../../copy'
import { audit } from '../../db/case-store'
import {
  conversationAddress,
  conversationHandler,
  endHandOff,
  markStaffActive,
} from '../../db/conversation-queries'
import type { MediaRef, OutgoingMessage } from '../../dialogs/runtime/messages'
import { normalizeInput } from '../../dialogs/runtime/parse'
import { groupCentreId } from '../../db/staff-directory'
import { handConversationTo } from '../../db/conversation-queries'
import { notifyStaff } from '../notifications/staff-notifications'
import type { CaseClock } from '../cases/case-clock'
import { cancelPickupCheck, schedulePickupCheck } from './hand-off-pickup'

/** What a turn knows of its conversation and message. */
interface TurnConversation {
  id: number
  owner_id: number | null
  owner_name: string | null
  household_id: number | null
  handed_off_at: Date | null
  staff_active_at: Date | null
}

/** Words with which an owner takes the conversation back from staff to the bot. */
const BACK_TO_BOT = new Set(['菜单', '主菜单', '取消', '退出'])

/**
 * One owner message while staff have the conversation ("with staff", after 人工 or a staff reply): the
 * bot stays quiet and the message goes to the staff member handling it. 菜单 or 取消, or a quiet spell of
 * `idleMinutes` since staff last wrote, hand it back to the bot, which then answers this very message.
 * Returns 'bot' when the bot should answer, else what to send the owner (nothing).
 */
export async function turnWithStaff(
  manager: EntityManager,
  conversation: TurnConversation,
  inbound: { text: string | null; media: MediaRef | null },
  now: Date,
  idleMinutes: number,
): Promise<'bot' | OutgoingMessage[]> {
  if (!conversation.handed_off_at) return 'bot'
  const lastStaffActivity = Math.max(
    conversation.handed_off_at.getTime(),
    conversation.staff_active_at?.getTime() ?? 0,
  )
  const words = normalizeInput(inbound.text ?? '')
  if (BACK_TO_BOT.has(words) || now.getTime() - lastStaffActivity >= idleMinutes * 60_000) {
    await releaseConversation(manager, conversation.id, `owner:${conversation.owner_id}`, now)
    return 'bot'
  }
  const handler = await conversationHandler(manager, conversation.id, conversation.household_id)
  const said = inbound.text ?? (inbound.media ? (copy.conversation.media[inbound.media.kind] ?? '') : '')
  await notifyStaff(
    manager,
    handler,
    copy.staff.ownerSays({
      owner: conversation.owner_name ?? '业主',
      conversation: conversation.id,
      text: said,
    }),
  )
  return []
}

/** The bot answers again. */
export async function releaseConversation(
  manager: EntityManager,
  conversationId: number,
  actor: string,
  now: Date,
): Promise<boolean> {
  if (!(await endHandOff(manager, conversationId))) return false
  await cancelPickupCheck(manager, conversationId)
  // On 微信客服 the session may still be with a servicer, who alone could then write to the owner.
  const address = await conversationAddress(manager, conversationId)
  if (address) await enqueueOutgoing(manager, address, null, [{ kind: 'handback' }])
  await audit(manager, {
    actor,
    action: 'conversation.released',
    subjectType: 'conversation',
    subjectId: String(conversationId),
    at: now,
  })
  return true
}

/**
 * A staff member writes to the owner in the conversation: the message goes out on the owner's channel
 * under its rules (微信客服's 48 hours and 5 messages: held, and a task), and the staff member has the
 * conversation from then on — the bot keeps quiet until it is released.
 */
export async function replyInConversation(
  manager: EntityManager,
  conversationId: number,
  staff: { ambassadorId: number | null; name: string; actor: string },
  text: string,
  now: Date,
): Promise<boolean> {
  const conversation = await markStaffActive(manager, conversationId, staff.ambassadorId, now)
  if (!conversation) return false
  await cancelPickupCheck(manager, conversationId)
  await enqueueOutgoing(manager, conversation, null, [{ kind: 'text', text, author: staff.name }])
  await audit(manager, {
    actor: staff.actor,
    action: 'conversation.reply',
    subjectType: 'conversation',
    subjectId: String(conversationId),
    at: now,
  })
  return true
}

/** Staff give the conversation back to the bot, and the owner is told so. */
export async function handBackToBot(
  manager: EntityManager,
  conversationId: number,
  actor: string,
  now: Date,
): Promise<boolean> {
  if (!(await releaseConversation(manager, conversationId, actor, now))) return false
  const conversation = await conversationAddress(manager, conversationId)
  if (!conversation) return false
  await enqueueOutgoing(manager, conversation, null, [{ kind: 'text', text: copy.conversation.backToBot }])
  return true
}

/**
 * 人工 from someone not yet bound to a household (a tenant, a buyer-to-be, a relative): nobody is their
 * ambassador, so the group's customer centre takes the conversation, with the same pick-up check.
 * False when no centre staff member exists to take it.
 */
export async function handStrangerToCentre(
  manager: EntityManager,
  clock: CaseClock,
  conversationId: number,
  now: Date,
): Promise<boolean> {
  const centre = await groupCentreId(manager)
  if (centre === null) return false
  await handConversationTo(manager, conversationId, centre, now)
  await audit(manager, {
    actor: `conversation:${conversationId}`,
    action: 'conversation.handoff',
    subjectType: 'conversation',
    subjectId: String(conversationId),
    details: { staffId: centre, context: 'stranger' },
    at: now,
  })
  await schedulePickupCheck(manager, clock, conversationId, now, null)
  await notifyStaff(manager, centre, copy.staff.strangerHandOff(conversationId))
  return true
}
