import type { EntityManager } from 'typeorm'

type Db = Pick<EntityManager, 'query'>
type Identity = { channel: string; externalId: string }

/** Failed checks count within this window before an identity or a phone locks. */
const LOCKOUT_WINDOW = `interval '24 hours'`

export async function projectChoices(db: Db): Promise<{ id: number; name: string }[]> {
  return db.query(`SELECT id, name FROM project ORDER BY name`)
}

/** One phone's checks one at a time, so that guesses from many accounts at once all count. */
export async function lockPhoneChecks(db: Db, phoneHash: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7))`, [phoneHash])
}

/** Failed checks in the window before `now`: by this identity, and of this phone (by anyone). */
export async function recentFailures(
  db: Db,
  identity: Identity,
  phoneHash: string | null,
  now: Date,
): Promise<{ identity: number; phone: number }> {
  const [row] = await db.query(
    `SELECT count(*) FILTER (WHERE channel = $1 AND external_id = $2)::int AS identity,
            count(*) FILTER (WHERE phone_hash = $3)::int AS phone
       FROM binding_failure
      WHERE at > $4::timestamptz - ${LOCKOUT_WINDOW}
        AND ((channel = $1 AND external_id = $2) OR phone_hash = $3)`,
    [identity.channel, identity.externalId, phoneHash, now],
  )
  return row
}

export async function recordFailure(db: Db, identity: Identity, phoneHash: string, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO binding_failure (channel, external_id, phone_hash, at) VALUES ($1, $2, $3, $4)`,
    [identity.channel, identity.externalId, phoneHash, at],
  )
}

/** The units of the households a phone (by its keyed hash) belongs to, in a project, with their owners. */
export function unitsOfPhone(
  db: Db,
  phoneKey: string,
  projectId: number,
): Promise<{ id: number; name: string; household_id: number; building: string; room_no: string }[]> {
  return db.query(
    `SELECT o.id, o.name, o.household_id, b.name AS building, u.room_no
       FROM owner o
       JOIN household_unit hu ON hu.household_id = o.household_id
       JOIN unit u ON u.id = hu.unit_id
       JOIN building b ON b.id = u.building_id
      WHERE o.phone_key = $1 AND b.project_id = $2 AND o.ended_at IS NULL
      ORDER BY o.id, u.id`,
    [phoneKey, projectId],
  )
}

/** Owners whose phone this identity (or anyone, for `phoneHash`) tried within the window. */
export function ownersTried(
  db: Db,
  identity: Identity,
  phoneHash: string,
  now: Date,
): Promise<{ id: number; name: string; phone_enc: string; ambassador_id: number | null }[]> {
  return db.query(
    `SELECT o.id, o.name, o.phone_enc,
            (SELECT ambassador_id FROM ambassador_assignment
              WHERE household_id = o.household_id AND ended_at IS NULL) AS ambassador_id
       FROM owner o
      WHERE o.phone_key IN (
              SELECT phone_hash FROM binding_failure
               WHERE at > $3::timestamptz - ${LOCKOUT_WINDOW} AND channel = $1 AND external_id = $2
              UNION SELECT $4)
      ORDER BY o.id`,
    [identity.channel, identity.externalId, now, phoneHash],
  )
}

/** How many other accounts the owner is bound on, and the household's ambassador. */
export async function otherAccounts(
  db: Db,
  owner: { id: number; household_id: number },
  identity: Identity,
): Promise<{ n: number; ambassador_id: number | null }> {
  const [row] = await db.query(
    `SELECT count(*)::int AS n,
            (SELECT ambassador_id FROM ambassador_assignment
              WHERE household_id = $3 AND ended_at IS NULL) AS ambassador_id
       FROM channel_identity WHERE owner_id = $1 AND NOT (channel = $2 AND external_id = $4)`,
    [owner.id, identity.channel, owner.household_id, identity.externalId],
  )
  return row
}

/** Binds the identity to the owner, and its conversation with it. */
export async function bindIdentity(
  db: Db,
  identity: Identity & { conversationId: number },
  ownerId: number,
): Promise<void> {
  await db.query(
    `INSERT INTO channel_identity (channel, external_id, owner_id) VALUES ($1, $2, $3)
     ON CONFLICT (channel, external_id) DO NOTHING`,
    [identity.channel, identity.externalId, ownerId],
  )
  await db.query(`UPDATE conversation SET owner_id = $2 WHERE id = $1`, [identity.conversationId, ownerId])
}
