import type { EntityManager } from 'typeorm'
import { groupCentreId, queueToAccount, queueToStaffMember } from '../../db/staff-directory'
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
  await queueToStaffMember(manager, STAFF_CHANNEL, staffId, payload)
}

/** To a WeCom account directly (a card update for whoever clicked). */
export async function queueToStaffAccount(
  manager: Pick<EntityManager, 'query'>,
  wecomUserId: string,
  message: OutgoingMessage,
): Promise<void> {
  await queueToAccount(manager, STAFF_CHANNEL, wecomUserId, message)
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

export { groupCentreId }
