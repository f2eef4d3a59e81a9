import type { DataSource } from 'typeorm'
import type { HeldMessage } from '../../bot/outbox'
import { copy } from '../../copy'
import { renderAsText } from '../../dialogs/runtime/messages'
import { ownerOfConversation } from '../../db/conversation-queries'
import { notifyStaff } from './staff-notifications'

/**
 * A message held by the kf rules: the owner's ambassador gets a task to reach the owner another way,
 * and the message itself goes out at the owner's next message.
 */
export function heldMessageTask(dataSource: DataSource) {
  return async (held: HeldMessage): Promise<void> => {
    await dataSource.transaction(async (manager) => {
      const owner = await ownerOfConversation(manager, held.channel, held.recipient)
      if (!owner) return
      const preview = renderAsText(held.payload).slice(0, 80)
      await notifyStaff(
        manager,
        owner.ambassador_id,
        copy.staff.heldForOwner(owner.name, preview, held.reason),
      )
    })
  }
}
