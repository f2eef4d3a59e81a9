import type { EntityManager } from 'typeorm'
import { enqueueOutgoing } from '../../bot/outbox'
import { copy } from '../../copy'
import { audit } from '../../db/case-store'
import { queryRows } from '../../db/sql'
import type { MediaRef, OutgoingMessage } from '../../dialogs/runtime/messages'
import { normalizeInput } from '../../dialogs/runtime/parse'
import { notifyStaff } from '../notifications/staff-notifications'

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
  const [handler] = await manager.query(
    `SELECT COALESCE(c.handed_off_to,
                     (SELECT ambassador_id FROM ambassador_assignment aa
                       WHERE aa.household_id = $2 AND aa.ended_at IS NULL)) AS staff_id
       FROM conversation c WHERE c.id = $1`,
    [conversation.id, conversation.household_id],
  )
  const said = inbound.text ?? (inbound.media ? (copy.conversation.media[inbound.media.kind] ?? '') : '')
  await notifyStaff(
    manager,
    handler?.staff_id ?? null,
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
  const released = await queryRows<{ id: number }>(
    manager,
    `UPDATE conversation SET handed_off_at = NULL, handed_off_to = NULL, staff_active_at = NULL
      WHERE id = $1 AND handed_off_at IS NOT NULL RETURNING id`,
    [conversationId],
  )
  if (released.length === 0) return false
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
  const [conversation] = await queryRows<{ id: number; channel: string; external_id: string }>(
    manager,
    `UPDATE conversation
        SET handed_off_at = COALESCE(handed_off_at, $2), staff_active_at = $2,
            handed_off_to = COALESCE($3, handed_off_to)
      WHERE id = $1 RETURNING id, channel, external_id`,
    [conversationId, now, staff.ambassadorId],
  )
  if (!conversation) return false
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
  const [conversation] = await queryRows<{ id: number; channel: string; external_id: string }>(
    manager,
    `SELECT id, channel, external_id FROM conversation WHERE id = $1`,
    [conversationId],
  )
  await enqueueOutgoing(manager, conversation, null, [{ kind: 'text', text: copy.conversation.backToBot }])
  return true
}
