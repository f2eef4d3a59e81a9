import type { EntityManager } from 'typeorm'
import { audit } from '../../db/case-store'
import { conversationOf, markStaffActive, recordDeliveredStaffMessage } from '../../db/conversation-queries'
import { activeStaff } from '../../db/staff-tokens'

/**
 * A staff member wrote to the owner outside Anju — a 微信客服 servicer answering in the WeCom client after
 * 人工. The transcript shows it under their name, and the conversation is with staff from then on (the bot
 * keeps quiet, the pick-up check is satisfied), exactly as for a reply sent through Anju.
 */
export async function recordStaffMessageSentElsewhere(
  manager: EntityManager,
  message: { channel: string; ownerAddress: string; staffAccount: string; text: string; at: Date },
): Promise<boolean> {
  const conversation = await conversationOf(manager, message.channel, message.ownerAddress)
  if (!conversation) return false
  const staff = await activeStaff(manager, { wecomUserId: message.staffAccount })
  const name = staff?.name ?? message.staffAccount
  const marked = await markStaffActive(manager, conversation.id, staff?.id ?? null, message.at)
  if (!marked) return false
  await recordDeliveredStaffMessage(manager, marked, { text: message.text, author: name, at: message.at })
  await audit(manager, {
    actor: `wecom:${message.staffAccount}`,
    action: 'conversation.reply_elsewhere',
    subjectType: 'conversation',
    subjectId: String(conversation.id),
    at: message.at,
  })
  return true
}
