import type { EntityManager } from 'typeorm'
import { enqueueOutgoing } from '../../bot/outbox'
import { text } from '../../dialogs/runtime/messages'
import { queryRows } from '../../db/sql'

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
  const rows = await queryRows<OwnerConversation>(
    manager,
    `SELECT cv.id, cv.channel, cv.external_id, cv.dialog, cv.dialog_expires_at, o.name AS owner_name
       FROM channel_identity ci
       JOIN owner o ON o.id = ci.owner_id
       JOIN conversation cv ON cv.channel = ci.channel AND cv.external_id = ci.external_id
      WHERE ci.owner_id = $1
      ORDER BY cv.last_inbound_at DESC NULLS LAST, cv.id DESC LIMIT 1
      FOR UPDATE OF cv`,
    [ownerId],
  )
  return rows[0] ?? null
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
