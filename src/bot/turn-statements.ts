import type { DialogState } from '../dialogs/runtime/dialog'
import type { MediaRef } from '../dialogs/runtime/messages'

/*
 * The statements every inbound message runs, kept few because on this path each round trip to
 * PostgreSQL costs about as much as the commit itself. Run as prepared statements (see preparedRows).
 */

export interface ConversationRow {
  id: number
  channel: string
  external_id: string
  dialog: DialogState | null
  dialog_expires_at: Date | null
  /** The owner bound to this identity, read with the row (null for strangers and staff). */
  owner_id: number | null
  owner_name: string | null
  household_id: number | null
  /** The household's ambassador, read with the row (null: none, or no owner). */
  ambassador_id: number | null
  ambassador_name: string | null
  ambassador_phone: string | null
  ambassador_wecom_user_id: string | null
  /** Set while staff have the conversation: the bot stays quiet. */
  handed_off_at: Date | null
  staff_active_at: Date | null
}

export interface InboundRow {
  id: string
  text: string | null
  media: MediaRef | null
}

/**
 * A turn's first statement: lock the sender's conversation, store the message (dedupe on the channel's
 * id) and tell whether it is the only one pending, which it nearly always is. That last answer is read in
 * the statement's snapshot, taken before the lock was granted: if another turn committed meanwhile, the
 * conversation's row version (xmin) as the snapshot saw it differs from the locked one, and the caller
 * reads the pending messages again. A message accepted on the careful path meanwhile may be handled after
 * this one; its own drain, waiting for this lock, handles it next.
 */
export const OPEN_TURN = `
  WITH locked AS (
    SELECT id, channel, external_id, dialog, dialog_expires_at, handed_off_at, staff_active_at, xmin::text AS version
      FROM conversation WHERE channel = $1 AND external_id = $2 FOR UPDATE),
  stored AS (
    INSERT INTO inbound_message (channel, message_id, conversation_id, text, received_at, media)
    SELECT $1, $3::text, id, $4::text, $5::timestamptz, $6::jsonb FROM locked
    ON CONFLICT (channel, message_id) DO NOTHING RETURNING id)
  SELECT l.id, l.channel, l.external_id, l.dialog, l.dialog_expires_at, l.handed_off_at, l.staff_active_at,
         o.id AS owner_id, o.name AS owner_name, o.household_id, a.id AS ambassador_id,
         a.name AS ambassador_name, a.phone AS ambassador_phone, a.wecom_user_id AS ambassador_wecom_user_id,
         (SELECT id FROM stored) AS inbound_id,
         (SELECT xmin::text FROM conversation WHERE id = l.id) = l.version
           AND NOT EXISTS (SELECT 1 FROM inbound_message WHERE conversation_id = l.id AND status = 'pending')
           AS alone
    FROM locked l
    LEFT JOIN channel_identity ci ON ci.channel = l.channel AND ci.external_id = l.external_id
    LEFT JOIN owner o ON o.id = ci.owner_id
    LEFT JOIN ambassador_assignment aa ON aa.household_id = o.household_id AND aa.ended_at IS NULL
    LEFT JOIN ambassador a ON a.id = aa.ambassador_id`

/**
 * Stores a message without handling it, in one statement that needs no transaction: the conversation is
 * found or created (not locked, so a conversation being handled does not hold up the storing).
 */
export const ACCEPT = `
  WITH existing AS (SELECT id FROM conversation WHERE channel = $1 AND external_id = $2),
  created AS (
    INSERT INTO conversation (channel, external_id) SELECT $1, $2 WHERE NOT EXISTS (SELECT FROM existing)
    ON CONFLICT (channel, external_id) DO NOTHING RETURNING id),
  found AS (SELECT id FROM existing UNION ALL SELECT id FROM created),
  stored AS (
    INSERT INTO inbound_message (channel, message_id, conversation_id, text, received_at, media)
    SELECT $1, $3::text, id, $4::text, $5::timestamptz, $6::jsonb FROM found
    ON CONFLICT (channel, message_id) DO NOTHING RETURNING id)
  SELECT (SELECT id FROM found) AS conversation_id, (SELECT id FROM stored) AS inbound_id`

/**
 * The conversation locked, with its bound owner and its two oldest pending messages, read in the
 * statement's snapshot; `current` is false when another turn committed while the lock was awaited, and
 * then the pending messages must be read again.
 */
export const NEXT_TURN = `
  WITH locked AS (
    SELECT id, channel, external_id, dialog, dialog_expires_at, handed_off_at, staff_active_at, xmin::text AS version
      FROM conversation WHERE id = $1 FOR UPDATE)
  SELECT l.id, l.channel, l.external_id, l.dialog, l.dialog_expires_at, l.handed_off_at, l.staff_active_at,
         o.id AS owner_id, o.name AS owner_name, o.household_id, a.id AS ambassador_id,
         a.name AS ambassador_name, a.phone AS ambassador_phone, a.wecom_user_id AS ambassador_wecom_user_id,
         (SELECT xmin::text FROM conversation WHERE id = l.id) = l.version AS current,
         (SELECT coalesce(jsonb_agg(jsonb_build_object('id', p.id::text, 'text', p.text, 'media', p.media)
                                    ORDER BY p.id), '[]')
            FROM (SELECT id, text, media FROM inbound_message
                   WHERE conversation_id = l.id AND status = 'pending' ORDER BY id LIMIT 2) p) AS pending
    FROM locked l
    LEFT JOIN channel_identity ci ON ci.channel = l.channel AND ci.external_id = l.external_id
    LEFT JOIN owner o ON o.id = ci.owner_id
    LEFT JOIN ambassador_assignment aa ON aa.household_id = o.household_id AND aa.ended_at IS NULL
    LEFT JOIN ambassador a ON a.id = aa.ambassador_id`

export const PENDING = `
  SELECT id, text, media FROM inbound_message WHERE conversation_id = $1 AND status = 'pending'
   ORDER BY id LIMIT 2`

export interface OpenedTurn extends ConversationRow {
  /** Null: a duplicate of a stored message. */
  inbound_id: string | null
  alone: boolean
}

/**
 * One statement writes the turn: state, the message done, held replies released (they go first, having
 * lower ids), and the new replies; it answers the conversation's new row version. `last_inbound_at` is when we accepted the message, by the database's
 * clock, not the business clock: 微信客服's 48-hour and five-message rules count from it against our
 * replies' send times, which that clock stamps too. (WeCom's own send time has whole seconds only, so
 * a reply and the owner's next message in the same second would be miscounted.)
 */
export const WRITE_TURN = `
  WITH state AS (
    UPDATE conversation SET dialog = $2, dialog_expires_at = $3, updated_at = $4,
           last_inbound_at = GREATEST(last_inbound_at, (SELECT accepted_at FROM inbound_message WHERE id = $6)),
           owner_id = COALESCE($5, owner_id)
     WHERE id = $1
    RETURNING xmin::text AS version),
  done AS (UPDATE inbound_message SET status = 'done', processed_at = $4 WHERE id = $6),
  released AS (
    UPDATE outbox SET status = 'pending', next_attempt_at = now(), hold_reason = NULL
     WHERE conversation_id = $1 AND status = 'held'),
  replies AS (
    INSERT INTO outbox (channel, recipient, conversation_id, inbound_id, payload)
    SELECT $7, $8, $1, $6, payload FROM jsonb_array_elements($9::jsonb) WITH ORDINALITY AS m(payload, n)
     ORDER BY n)
  SELECT version FROM state`

/**
 * Whether conversation `c` ($1) is as a turn computed ahead found it: the same row version ($2; any
 * write to the row changes it: another turn, another instance, a staff takeover, a sweep), not with
 * staff, and still bound to the same owner with the same name and household ($6–$8) and ambassador
 * (four parameters from `ambassadorAt`): staff unbind, reassign or edit those without touching the
 * conversation.
 */
function stillAsKnown(ambassadorAt: number): string {
  const [id, name, phone, wecom] = [0, 1, 2, 3].map((offset) => `$${ambassadorAt + offset}`)
  return `c.id = $1 AND c.xmin = $2::text::xid AND c.handed_off_at IS NULL
       AND EXISTS (SELECT FROM channel_identity ci JOIN owner o ON o.id = ci.owner_id
                      LEFT JOIN ambassador_assignment aa ON aa.household_id = o.household_id AND aa.ended_at IS NULL
                      LEFT JOIN ambassador a ON a.id = aa.ambassador_id
                    WHERE ci.channel = c.channel AND ci.external_id = c.external_id
                      AND o.id = $6 AND o.name = $7 AND o.household_id = $8
                      AND a.id IS NOT DISTINCT FROM ${id}::int AND a.name IS NOT DISTINCT FROM ${name}::text
                      AND a.phone IS NOT DISTINCT FROM ${phone}::text
                      AND a.wecom_user_id IS NOT DISTINCT FROM ${wecom}::text)`
}

/** Held replies released and the turn's replies ($replies) added, once `handled` holds the message. */
function repliesAfter(replies: string): string {
  return `released AS (
    UPDATE outbox SET status = 'pending', next_attempt_at = now(), hold_reason = NULL
     WHERE conversation_id = $1 AND status = 'held' AND EXISTS (SELECT FROM handled)),
  replies AS (
    INSERT INTO outbox (channel, recipient, conversation_id, inbound_id, payload)
    SELECT st.channel, st.external_id, st.id, h.id, m.payload
      FROM state st, handled h, jsonb_array_elements(${replies}::jsonb) WITH ORDINALITY AS m(payload, n)
     ORDER BY m.n)
  SELECT version FROM state`
}

/**
 * The whole of a turn computed ahead (see the pipeline's optimisticTurn) in one statement, which
 * commits on its own when the turn did nothing else: one round trip and one WAL flush. It applies only
 * if the conversation is still as the turn was computed from (stillAsKnown) and nothing is pending
 * ahead of the message; otherwise nothing is written and no row comes back. A repeated message id
 * violates the inbox's unique key, which undoes the whole statement: the caller answers "duplicate".
 */
export const OPTIMISTIC_TURN = `
  WITH state AS (
    UPDATE conversation c SET dialog = $3, dialog_expires_at = $4, updated_at = $5,
           last_inbound_at = GREATEST(c.last_inbound_at, now())
     WHERE ${stillAsKnown(13)}
       AND NOT EXISTS (SELECT FROM inbound_message p WHERE p.conversation_id = $1 AND p.status = 'pending')
    RETURNING c.id, c.channel, c.external_id, c.xmin::text AS version),
  handled AS (
    INSERT INTO inbound_message (channel, message_id, conversation_id, text, received_at, status, processed_at)
    SELECT channel, $9::text, id, $10::text, $11::timestamptz, 'done', $5 FROM state RETURNING id),
  ${repliesAfter('$12')}`

/**
 * The same for a message already stored (a WeCom callback answered once it was committed, $9): it must
 * still be pending, with nothing pending before it. Then it is marked done instead of inserted.
 */
export const OPTIMISTIC_STORED_TURN = `
  WITH state AS (
    UPDATE conversation c SET dialog = $3, dialog_expires_at = $4, updated_at = $5,
           last_inbound_at = GREATEST(c.last_inbound_at,
                                      (SELECT accepted_at FROM inbound_message WHERE id = $9::bigint))
     WHERE ${stillAsKnown(11)}
       AND EXISTS (SELECT FROM inbound_message m
                    WHERE m.id = $9::bigint AND m.conversation_id = $1 AND m.status = 'pending')
       AND NOT EXISTS (SELECT FROM inbound_message p
                        WHERE p.conversation_id = $1 AND p.status = 'pending' AND p.id < $9::bigint)
    RETURNING c.id, c.channel, c.external_id, c.xmin::text AS version),
  handled AS (
    UPDATE inbound_message SET status = 'done', processed_at = $5
     WHERE id = $9::bigint AND EXISTS (SELECT FROM state) RETURNING id),
  ${repliesAfter('$10')}`
