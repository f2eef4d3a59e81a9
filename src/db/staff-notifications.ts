import type { EntityManager } from 'typeorm'

/** The channel name staff messages are queued on; the WeCom app adapter delivers them. */
export const STAFF_CHANNEL = 'wecom-app'

/**
 * Queues a message to a staff member in the caller's transaction. Until a WeCom app channel is running
 * the rows wait in the outbox (visible, never dropped).
 */
export async function notifyStaff(
  manager: EntityManager,
  staffId: number | null,
  message: string,
): Promise<void> {
  if (staffId === null) return
  await manager.query(
    `INSERT INTO outbox (channel, recipient, payload)
     SELECT $1, wecom_user_id, jsonb_build_object('kind', 'text', 'text', $3::text)
       FROM ambassador WHERE id = $2 AND wecom_user_id IS NOT NULL`,
    [STAFF_CHANNEL, staffId, message],
  )
}

/** The group customer-relations centre: the escalation target of every branch. */
export async function groupCentreId(manager: EntityManager): Promise<number | null> {
  const rows: { id: number }[] = await manager.query(
    `SELECT id FROM ambassador WHERE role = 'group_centre' AND active ORDER BY id LIMIT 1`,
  )
  return rows[0]?.id ?? null
}
