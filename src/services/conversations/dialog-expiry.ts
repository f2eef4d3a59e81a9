import type { DataSource } from 'typeorm'
import { enqueueOutgoing } from '../../bot/outbox'
import { expireDialogs } from '../../db/conversation-queries'
import { copy } from '../../copy'
import { text } from '../../dialogs/runtime/messages'

/**
 * Ends dialogs left idle past their expiry and tells the owner that nothing unsent was kept. Rows being
 * handled by a turn are skipped (SKIP LOCKED), so this never races an owner's message.
 */
export async function expireIdleDialogs(dataSource: DataSource, now: Date): Promise<number> {
  return dataSource.transaction(async (manager) => {
    const expired = await expireDialogs(manager, now)
    for (const conversation of expired) {
      await enqueueOutgoing(manager, conversation, null, [text(copy.sessionExpired)])
    }
    return expired.length
  })
}
