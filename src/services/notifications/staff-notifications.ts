import type { EntityManager } from 'typeorm'
import type { OutgoingMessage } from '../../dialogs/runtime/messages'

/** The channel name staff messages are queued on; the WeCom app adapter delivers them. */
export const STAFF_CHANNEL = 'wecom-app'

/**
 * Queues a message to a staff member in the caller's transaction. Until a WeCom app channel is running
 * the rows wait in the outbox (visible, never dropped).
 */
export async function notifyStaff(
  manager: EntityManager,
  staffId: number | null,
  message: string | OutgoingMessage,
): Promise<void> {
  if (staffId === null) return
  const payload: OutgoingMessage = typeof message === 'string' ? { kind: 'text', text: message } : message
  await manager.query(
    `INSERT INTO outbox (channel, recipient, payload)
     SELECT $1, wecom_user_id, $3::jsonb FROM ambassador WHERE id = $2 AND wecom_user_id IS NOT NULL`,
    [STAFF_CHANNEL, staffId, JSON.stringify(payload)],
  )
}

/** To a WeCom account directly (a card update for whoever clicked). */
export async function queueToStaffAccount(
  manager: Pick<EntityManager, 'query'>,
  wecomUserId: string,
  message: OutgoingMessage,
): Promise<void> {
  await manager.query(`INSERT INTO outbox (channel, recipient, payload) VALUES ($1, $2, $3)`, [
    STAFF_CHANNEL,
    wecomUserId,
    JSON.stringify(message),
  ])
}

/**
 * A new case as a card the ambassador can act on with one tap (接单, or back to the supervisor). The
 * notice's first line is the card's title, the rest its text.
 */
export function caseCard(caseNo: string, notice: string): OutgoingMessage {
  const [title, ...body] = notice.split('\n')
  return {
    kind: 'card',
    title,
    text: body.join('\n'),
    taskId: `case-${caseNo}`,
    buttons: [
      { key: `accept:${caseNo}`, label: '接单' },
      // Hands the case back to the supervisor to dispatch again (退回), as the chat command of that name.
      { key: `handback:${caseNo}`, label: '退回主管' },
    ],
  }
}

/** The group customer-relations centre: the escalation target of every branch. */
export async function groupCentreId(manager: EntityManager): Promise<number | null> {
  const rows: { id: number }[] = await manager.query(
    `SELECT id FROM ambassador WHERE role = 'group_centre' AND active ORDER BY id LIMIT 1`,
  )
  return rows[0]?.id ?? null
}
