import type { DataSource } from 'typeorm'
import { enqueueOutgoing } from '../../bot/outbox'
import { queryRows } from '../../db/sql'
import { copy } from '../../copy'
import { text } from '../../dialogs/runtime/messages'

/**
 * Ends dialogs left idle past their expiry and tells the owner that nothing unsent was kept. Rows being
 * handled by a turn are skipped (SKIP LOCKED), so this never races an owner's message.
 */
export async function expireIdleDialogs(dataSource: DataSource, now: Date): Promise<number> {
  return dataSource.transaction(async (manager) => {
    const expired = await queryRows<{ id: number; channel: string; external_id: string }>(
      manager,
      `UPDATE conversation SET dialog = NULL, dialog_expires_at = NULL
        WHERE id IN (SELECT id FROM conversation WHERE dialog IS NOT NULL AND dialog_expires_at <= $1
                      ORDER BY dialog_expires_at LIMIT 500 FOR UPDATE SKIP LOCKED)
        RETURNING id, channel, external_id`,
      [now],
    )
    for (const conversation of expired) {
      await enqueueOutgoing(manager, conversation, null, [text(copy.sessionExpired)])
    }
    return expired.length
  })
}
