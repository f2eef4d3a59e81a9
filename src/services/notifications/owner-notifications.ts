import type { EntityManager } from 'typeorm'
import { enqueueOutgoing } from '../../bot/outbox'
import { text } from '../../dialogs/runtime/messages'
import { ownerLatestConversation } from '../../db/conversation-queries'

export interface OwnerConversation {
  id: number
  channel: string
  external_id: string
  dialog: unknown
  dialog_expires_at: Date | null
  owner_name: string
}

/** Where the owner last talked to us (locked, so a proactive message and an owner's turn do not interleave). */
export async function latestConversationOf(
  manager: EntityManager,
  ownerId: number,
): Promise<OwnerConversation | null> {
  return ownerLatestConversation<OwnerConversation>(manager, ownerId)
}

/** Queues a message to the owner on their latest conversation; false when they have none. */
export async function notifyOwner(
  manager: EntityManager,
  ownerId: number | null,
  message: string,
): Promise<boolean> {
  if (ownerId === null) return false
  const conversation = await latestConversationOf(manager, ownerId)
  if (!conversation) return false
  await enqueueOutgoing(manager, conversation, null, [text(message)])
  return true
}
