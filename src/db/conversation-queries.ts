import type { EntityManager } from 'typeorm'
import { HOUSEHOLD_IN_SCOPE, scopeParams, type StaffScope } from './access'
import { queryRows } from './sql'

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

type Db = Pick<EntityManager, 'query'>

export interface ConversationListItem {
  id: number
  channel: string
  state: 'with_staff' | 'bot'
  ownerName: string | null
  householdId: number | null
  handedOffTo: number | null
  handedOffAt: Date | null
  lastInboundAt: Date | null
}

/** Conversations of the households in scope (strangers' only for the group-wide roles), latest first. */
export function listConversations(
  db: Db,
  filter: {
    state?: 'with_staff' | 'bot'
    projectId?: number
    ambassadorId?: number
    limit: number
    scope: StaffScope
  },
): Promise<ConversationListItem[]> {
  return db.query(
    `SELECT c.id, c.channel, CASE WHEN c.handed_off_at IS NULL THEN 'bot' ELSE 'with_staff' END AS state,
            o.name AS "ownerName", o.household_id AS "householdId", c.handed_off_to AS "handedOffTo",
            c.handed_off_at AS "handedOffAt", c.last_inbound_at AS "lastInboundAt"
       FROM conversation c
       LEFT JOIN owner o ON o.id = c.owner_id
      WHERE (CASE WHEN o.household_id IS NULL THEN $1::text = 'all' ELSE ${HOUSEHOLD_IN_SCOPE('o.household_id', 1)} END)
        AND ($4::text IS NULL OR ($4 = 'with_staff') = (c.handed_off_at IS NOT NULL))
        AND ($5::int IS NULL OR EXISTS (
              SELECT 1 FROM household_unit hu JOIN unit u ON u.id = hu.unit_id JOIN building b ON b.id = u.building_id
               WHERE hu.household_id = o.household_id AND b.project_id = $5))
        AND ($6::int IS NULL OR c.handed_off_to = $6 OR EXISTS (
              SELECT 1 FROM ambassador_assignment aa
               WHERE aa.household_id = o.household_id AND aa.ended_at IS NULL AND aa.ambassador_id = $6))
        AND c.channel <> 'wecom-app'
      ORDER BY c.last_inbound_at DESC NULLS LAST, c.id DESC
      LIMIT $7`,
    [
      ...scopeParams(filter.scope),
      filter.state ?? null,
      filter.projectId ?? null,
      filter.ambassadorId ?? null,
      filter.limit,
    ],
  )
}

/** Whose conversation it is: the household (null for a stranger), or null when there is none. */
export async function conversationHousehold(
  db: Db,
  conversationId: number,
): Promise<{ householdId: number | null } | null> {
  const [row] = await db.query(
    `SELECT o.household_id AS "householdId" FROM conversation c LEFT JOIN owner o ON o.id = c.owner_id
      WHERE c.id = $1`,
    [conversationId],
  )
  return row ?? null
}

export interface TranscriptEntry {
  direction: 'in' | 'out'
  at: Date
  /** In: what the owner wrote. */
  text: string | null
  media: unknown
  /** Out: the message as queued (render it for people). */
  payload: unknown
  /** Out: the staff member who wrote it, or null for the bot. */
  author: string | null
  /** Out: where its delivery stands (pending, sent, held, dead). */
  status: string | null
}

/**
 * Everything said in a conversation, both ways, in order: the owner's messages as received and what
 * the bot or staff sent (with delivery status), the latest `limit`, or those after an instant.
 */
export function transcript(
  db: Db,
  conversationId: number,
  page: { after: Date | null; limit: number },
): Promise<TranscriptEntry[]> {
  return db.query(
    `SELECT * FROM (
       SELECT 'in' AS direction, m.accepted_at AS at, m.text, m.media, NULL::jsonb AS payload, NULL AS author,
              NULL AS status, m.id AS seq
         FROM inbound_message m WHERE m.conversation_id = $1 AND ($2::timestamptz IS NULL OR m.accepted_at > $2)
       UNION ALL
       SELECT 'out', o.created_at, NULL, NULL, o.payload, o.payload->>'author', o.status, o.id
         FROM outbox o WHERE o.conversation_id = $1 AND ($2::timestamptz IS NULL OR o.created_at > $2)
          AND o.payload->>'kind' IN ('text', 'menu', 'card')
       ORDER BY at DESC, seq DESC LIMIT $3) latest
     ORDER BY at, seq`,
    [conversationId, page.after, page.limit],
  )
}

/** Puts a dialog into a conversation (a survey started by a timer), with when it expires. */
export async function setConversationDialog(
  db: Db,
  conversationId: number,
  dialog: unknown,
  expiresAt: Date | null,
): Promise<void> {
  await db.query(`UPDATE conversation SET dialog = $2, dialog_expires_at = $3 WHERE id = $1`, [
    conversationId,
    dialog === null ? null : JSON.stringify(dialog),
    expiresAt,
  ])
}

export async function ownerName(db: Db, ownerId: number | null): Promise<string> {
  const [owner] = await db.query(`SELECT name FROM owner WHERE id = $1`, [ownerId])
  return owner?.name ?? ''
}

/** The conversation is with staff from now: this staff member (or nobody yet) has it. */
export async function handConversationTo(
  db: Db,
  conversationId: number,
  staffId: number | null,
  at: Date,
): Promise<void> {
  await db.query(
    `UPDATE conversation SET handed_off_at = $2, handed_off_to = $3, staff_active_at = NULL WHERE id = $1`,
    [conversationId, at, staffId],
  )
}

/** Who handles an owner's messages while staff have the conversation: its taker, else the ambassador. */
export async function conversationHandler(
  db: Db,
  conversationId: number,
  householdId: number | null,
): Promise<number | null> {
  const [row] = await db.query(
    `SELECT COALESCE(c.handed_off_to,
                     (SELECT ambassador_id FROM ambassador_assignment aa
                       WHERE aa.household_id = $2 AND aa.ended_at IS NULL)) AS staff_id
       FROM conversation c WHERE c.id = $1`,
    [conversationId, householdId],
  )
  return row?.staff_id ?? null
}

/** Ends a hand-off; false when the bot had the conversation anyway. */
export async function endHandOff(db: Db, conversationId: number): Promise<boolean> {
  const rows = await queryRows(
    db,
    `UPDATE conversation SET handed_off_at = NULL, handed_off_to = NULL, staff_active_at = NULL
      WHERE id = $1 AND handed_off_at IS NOT NULL RETURNING id`,
    [conversationId],
  )
  return rows.length > 0
}

/** A staff member wrote in the conversation: it is with staff, theirs if nobody had it. */
export async function markStaffActive(
  db: Db,
  conversationId: number,
  staffId: number | null,
  at: Date,
): Promise<{ id: number; channel: string; external_id: string } | null> {
  const [row] = await queryRows<{ id: number; channel: string; external_id: string }>(
    db,
    `UPDATE conversation
        SET handed_off_at = COALESCE(handed_off_at, $2), staff_active_at = $2,
            handed_off_to = COALESCE($3, handed_off_to)
      WHERE id = $1 RETURNING id, channel, external_id`,
    [conversationId, at, staffId],
  )
  return row ?? null
}

export async function conversationAddress(
  db: Db,
  conversationId: number,
): Promise<{ id: number; channel: string; external_id: string } | null> {
  const [row] = await db.query(`SELECT id, channel, external_id FROM conversation WHERE id = $1`, [
    conversationId,
  ])
  return row ?? null
}

/** Where the owner last talked to us, locked (a proactive message and an owner's turn do not interleave). */
export async function ownerLatestConversation<T>(db: Db, ownerId: number): Promise<T | null> {
  const rows = await queryRows<T>(
    db,
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

/** Ends up to 500 dialogs idle past their expiry (skipping conversations a turn holds); returns them. */
export function expireDialogs(db: Db, now: Date) {
  return queryRows<{ id: number; channel: string; external_id: string }>(
    db,
    `UPDATE conversation SET dialog = NULL, dialog_expires_at = NULL
      WHERE id IN (SELECT id FROM conversation WHERE dialog IS NOT NULL AND dialog_expires_at <= $1
                    ORDER BY dialog_expires_at LIMIT 500 FOR UPDATE SKIP LOCKED)
      RETURNING id, channel, external_id`,
    [now],
  )
}

/**
 * A hand-off still waiting for staff: the conversation is with staff since exactly `handedOffAt` and no
 * staff member has written in it. Locked, so two instances firing the same timer tell the supervisor once.
 */
export async function handOffAwaitingPickup(
  db: Db,
  conversationId: number,
  handedOffAt: Date,
): Promise<{
  ownerName: string | null
  handlerId: number | null
  handlerName: string | null
  householdId: number | null
} | null> {
  const [row] = await queryRows<{
    ownerName: string | null
    handlerId: number | null
    handlerName: string | null
    householdId: number | null
  }>(
    db,
    `SELECT o.name AS "ownerName", h.id AS "handlerId", h.name AS "handlerName", o.household_id AS "householdId"
       FROM conversation c
       LEFT JOIN owner o ON o.id = c.owner_id
       LEFT JOIN ambassador h ON h.id = COALESCE(c.handed_off_to,
            (SELECT ambassador_id FROM ambassador_assignment aa
              WHERE aa.household_id = o.household_id AND aa.ended_at IS NULL))
      WHERE c.id = $1 AND c.handed_off_at = $2 AND c.staff_active_at IS NULL
        FOR UPDATE OF c`,
    [conversationId, handedOffAt],
  )
  return row ?? null
}

/**
 * A message staff sent to the owner outside Anju (a 微信客服 servicer in the WeCom client), kept in the
 * transcript as delivered. `sentElsewhere` keeps it out of our own per-window reply count.
 */
export async function recordDeliveredStaffMessage(
  db: Db,
  conversation: { id: number; channel: string; external_id: string },
  message: { text: string; author: string; at: Date },
): Promise<void> {
  await db.query(
    // created_at is the database's, like every outbox row's, so the transcript keeps one order for
    // what went out; sent_at is when the staff member wrote it.
    `INSERT INTO outbox (channel, recipient, conversation_id, payload, status, sent_at)
     VALUES ($1, $2, $3, $4, 'sent', $5)`,
    [
      conversation.channel,
      conversation.external_id,
      conversation.id,
      JSON.stringify({ kind: 'text', text: message.text, author: message.author, sentElsewhere: true }),
      message.at,
    ],
  )
}

/** The conversation of a sender on a channel, if they ever wrote. */
export async function conversationOf(
  db: Db,
  channel: string,
  externalId: string,
): Promise<{ id: number } | null> {
  const [row] = await db.query(`SELECT id FROM conversation WHERE channel = $1 AND external_id = $2`, [
    channel,
    externalId,
  ])
  return row ?? null
}

/** The channel and sender a conversation is with. */
export async function conversationIdentity(
  db: Db,
  conversationId: number,
): Promise<{ channel: string; externalId: string }> {
  const [row] = await db.query(
    `SELECT channel, external_id AS "externalId" FROM conversation WHERE id = $1`,
    [conversationId],
  )
  return row
}

/** The conversation an owner last wrote in (a case's owner, to read what they said around it). */
export async function latestConversationOfOwner(db: Db, ownerId: number | null): Promise<number | null> {
  if (ownerId === null) return null
  const [row] = await db.query(
    `SELECT c.id FROM conversation c WHERE c.owner_id = $1
      ORDER BY (SELECT max(m.id) FROM inbound_message m WHERE m.conversation_id = c.id) DESC NULLS LAST, c.id DESC
      LIMIT 1`,
    [ownerId],
  )
  return row?.id ?? null
}
