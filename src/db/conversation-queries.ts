import type { EntityManager } from 'typeorm'

/** The owner a conversation is bound to, with their current ambassador; null for a stranger. */
export async function ownerOfConversation(
  db: Pick<EntityManager, 'query'>,
  channel: string,
  externalId: string,
): Promise<{ name: string; ambassador_id: number | null } | null> {
  const [owner] = await db.query(
    `SELECT o.name, aa.ambassador_id FROM conversation c
       JOIN owner o ON o.id = c.owner_id
       LEFT JOIN ambassador_assignment aa ON aa.household_id = o.household_id AND aa.ended_at IS NULL
      WHERE c.channel = $1 AND c.external_id = $2`,
    [channel, externalId],
  )
  return owner ?? null
}
