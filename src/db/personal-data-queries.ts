import type { EntityManager } from 'typeorm'
import { queryRows } from './sql'
import { UNIT_LABEL_SQL } from './unit-label'
import { openPhone, phoneLookupKey, sealPhone } from '../domain/phone-vault'

type Db = Pick<EntityManager, 'query'>

/** The labels of the units of the household of owner `o` ("翠湖花园 3栋 1201"), as a JSON array. */
const UNITS_OF_OWNER = `(SELECT coalesce(json_agg(${UNIT_LABEL_SQL} ORDER BY u.id), '[]')
   FROM household_unit hu JOIN unit u ON u.id = hu.unit_id JOIN building b ON b.id = u.building_id
   JOIN project p ON p.id = b.project_id WHERE hu.household_id = o.household_id)`

export interface OwnerRecord {
  id: number
  householdId: number
  name: string
  phone: string
  relation: string
  endedAt: Date | null
  anonymisedAt: Date | null
}

export async function ownerRecord(db: Db, id: number, lock = false): Promise<OwnerRecord | null> {
  const [row] = await queryRows<Omit<OwnerRecord, 'phone'> & { phoneEnc: string | null }>(
    db,
    `SELECT id, household_id AS "householdId", name, phone_enc AS "phoneEnc", relation, ended_at AS "endedAt",
            anonymised_at AS "anonymisedAt"
       FROM owner WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [id],
  )
  if (!row) return null
  const { phoneEnc, ...rest } = row
  return { ...rest, phone: openPhone(phoneEnc) ?? '' }
}

export async function endOwner(db: Db, id: number, reason: string, at: Date): Promise<void> {
  await db.query(`UPDATE owner SET ended_at = $3, ended_reason = $2 WHERE id = $1 AND ended_at IS NULL`, [
    id,
    reason,
    at,
  ])
}

/**
 * Unbinds every chat identity of an owner, at once: their conversations lose the owner's dialog and any
 * hand-off, so the next message is a stranger's. Returns how many identities were unbound.
 */
export async function unbindOwner(db: Db, ownerId: number): Promise<number> {
  const unbound = await queryRows<{ channel: string; external_id: string }>(
    db,
    `DELETE FROM channel_identity WHERE owner_id = $1 RETURNING channel, external_id`,
    [ownerId],
  )
  if (unbound.length > 0)
    await db.query(
      `UPDATE conversation c SET dialog = NULL, dialog_expires_at = NULL, handed_off_at = NULL, handed_off_to = NULL
        FROM unnest($1::text[], $2::text[]) AS u(channel, external_id)
       WHERE c.channel = u.channel AND c.external_id = u.external_id`,
      [unbound.map((u) => u.channel), unbound.map((u) => u.external_id)],
    )
  return unbound.length
}

/** Unbinds one identity (the owner's own 解绑): only that WeChat account, the owner's file stays. */
export async function unbindIdentity(db: Db, channel: string, externalId: string): Promise<boolean> {
  const rows = await queryRows<{ id: number }>(
    db,
    `DELETE FROM channel_identity WHERE channel = $1 AND external_id = $2 RETURNING id`,
    [channel, externalId],
  )
  return rows.length > 0
}

export async function withdrawConsents(
  db: Db,
  who: { ownerId: number } | { channel: string; externalId: string },
  at: Date,
): Promise<void> {
  if ('ownerId' in who)
    await db.query(
      `UPDATE privacy_consent SET withdrawn_at = $2 WHERE owner_id = $1 AND withdrawn_at IS NULL`,
      [who.ownerId, at],
    )
  else
    await db.query(
      `UPDATE privacy_consent SET withdrawn_at = $3 WHERE channel = $1 AND external_id = $2 AND withdrawn_at IS NULL`,
      [who.channel, who.externalId, at],
    )
}

/** A new owner of a household (after a resale, a family member added); refused if the phone is there. */
export async function insertOwner(
  db: Db,
  owner: { householdId: number; name: string; phone: string; relation: string },
): Promise<number | null> {
  const [row] = await queryRows<{ id: number }>(
    db,
    `INSERT INTO owner (household_id, name, phone_enc, phone_key, relation) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (household_id, phone_key) DO NOTHING RETURNING id`,
    [owner.householdId, owner.name, sealPhone(owner.phone), phoneLookupKey(owner.phone), owner.relation],
  )
  return row?.id ?? null
}

export async function correctOwner(
  db: Db,
  id: number,
  fields: { name?: string; phone?: string; relation?: string },
): Promise<'ok' | 'DUPLICATE_PHONE'> {
  try {
    await db.query(
      `UPDATE owner SET name = coalesce($2, name), phone_enc = coalesce($3, phone_enc),
              phone_key = coalesce($4, phone_key), relation = coalesce($5, relation)
        WHERE id = $1`,
      [
        id,
        fields.name ?? null,
        fields.phone ? sealPhone(fields.phone) : null,
        fields.phone ? phoneLookupKey(fields.phone) : null,
        fields.relation ?? null,
      ],
    )
    return 'ok'
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return 'DUPLICATE_PHONE'
    throw error
  }
}

/**
 * Anonymises an owner: name and phone replaced, identities gone, the words they wrote and their files
 * removed from the chat record. Cases, surveys and letter receipts stay as business records, pointing to
 * the anonymised owner. Returns the storage keys of the files to delete.
 */
export async function anonymiseOwner(db: Db, id: number, at: Date): Promise<string[]> {
  await db.query(
    `UPDATE owner SET name = '已注销业主', phone_enc = '', phone_key = 'anonymised:' || id, anonymised_at = $2,
            ended_at = coalesce(ended_at, $2), ended_reason = coalesce(ended_reason, 'other')
      WHERE id = $1`,
    [id, at],
  )
  const conversations = await queryRows<{ id: number }>(
    db,
    `SELECT id FROM conversation WHERE owner_id = $1
     UNION SELECT c.id FROM conversation c JOIN channel_identity ci
       ON ci.channel = c.channel AND ci.external_id = c.external_id WHERE ci.owner_id = $1`,
    [id],
  )
  await unbindOwner(db, id)
  const ids = conversations.map((c) => c.id)
  await db.query(
    `UPDATE inbound_message SET text = NULL, media = NULL WHERE conversation_id = ANY($1::int[])`,
    [ids],
  )
  await db.query(`UPDATE survey SET comment = NULL WHERE owner_id = $1`, [id])
  const files = await queryRows<{ storage_key: string | null; thumbnail_key: string | null }>(
    db,
    `UPDATE media_file SET status = 'deleted' WHERE conversation_id = ANY($1::int[]) AND status <> 'deleted'
     RETURNING storage_key, thumbnail_key`,
    [ids],
  )
  return files.flatMap((f) => [f.storage_key, f.thumbnail_key].filter((k): k is string => k !== null))
}

/**
 * Everything held about one person: their record and household context, identities and consents, the
 * conversations they wrote in (both ways), the cases they filed with their history, their survey answers
 * and the letters sent to them. What other members of the household filed is theirs, not in here.
 */
export async function personalData(db: Db, ownerId: number) {
  const q = <T>(sql: string) => queryRows<T>(db, sql, [ownerId])
  const [owner] = await q<Record<string, unknown>>(
    `SELECT o.id, o.name, o.phone_enc AS "phoneEnc", o.relation, o.created_at AS "createdAt", o.ended_at AS "endedAt",
            o.ended_reason AS "endedReason", h.code AS "householdCode", h.stage,
            ${UNITS_OF_OWNER} AS units
       FROM owner o JOIN household h ON h.id = o.household_id WHERE o.id = $1`,
  )
  const identities = await q(`SELECT channel, external_id AS "externalId", bound_at AS "boundAt"
                                FROM channel_identity WHERE owner_id = $1 ORDER BY id`)
  const consents = await q(`SELECT channel, external_id AS "externalId", notice_version AS "noticeVersion",
                                   agreed_at AS "agreedAt", withdrawn_at AS "withdrawnAt"
                              FROM privacy_consent WHERE owner_id = $1 ORDER BY id`)
  const conversations = await q<{ id: number; channel: string }>(
    `SELECT id, channel FROM conversation WHERE owner_id = $1
     UNION SELECT c.id, c.channel FROM conversation c JOIN channel_identity ci
       ON ci.channel = c.channel AND ci.external_id = c.external_id WHERE ci.owner_id = $1 ORDER BY id`,
  )
  const messages = await queryRows<Record<string, unknown>>(
    db,
    `SELECT * FROM (
       SELECT conversation_id AS "conversationId", 'in' AS direction, accepted_at AS at, text, media, NULL::jsonb AS payload
         FROM inbound_message WHERE conversation_id = ANY($1::int[])
       UNION ALL
       SELECT conversation_id, 'out', created_at, NULL, NULL, payload
         FROM outbox WHERE conversation_id = ANY($1::int[]) AND payload->>'kind' IN ('text', 'menu', 'card')) m
     ORDER BY at`,
    [conversations.map((c) => c.id)],
  )
  const cases = await q(
    `SELECT c.case_no AS "caseNo", c.kind, c.category, c.status, c.description, c.attachments, c.created_at AS "createdAt",
            c.closed_at AS "closedAt",
            (SELECT coalesce(json_agg(json_build_object('at', e.at, 'kind', e.kind, 'data', e.data) ORDER BY e.id), '[]')
               FROM case_event e WHERE e.case_id = c.id) AS events
       FROM service_case c WHERE c.owner_id = $1 ORDER BY c.id`,
  )
  const surveys =
    await q(`SELECT c.case_no AS "caseNo", s.round, s.answered_at AS "answeredAt", s.score, s.comment
                             FROM survey s JOIN service_case c ON c.id = s.case_id
                            WHERE s.owner_id = $1 AND s.answered_at IS NOT NULL ORDER BY s.id`)
  const letters =
    await q(`SELECT l.title, d.status, d.delivered_at AS "deliveredAt", d.read_at AS "readAt", d.response
                             FROM letter_delivery d JOIN letter l ON l.id = d.letter_id
                            WHERE d.owner_id = $1 ORDER BY d.id`)
  // The number as the person gave it: the export is theirs to read.
  const { phoneEnc, ...record } = owner as Record<string, unknown> & { phoneEnc: string | null }
  return {
    owner: { ...record, phone: openPhone(phoneEnc) },
    identities,
    consents,
    conversations,
    messages,
    cases,
    surveys,
    letters,
  }
}

export async function hasConsented(
  db: Db,
  channel: string,
  externalId: string,
  version: string,
): Promise<boolean> {
  const rows = await queryRows(
    db,
    `SELECT 1 FROM privacy_consent WHERE channel = $1 AND external_id = $2 AND notice_version = $3 AND withdrawn_at IS NULL`,
    [channel, externalId, version],
  )
  return rows.length > 0
}

export async function recordConsent(
  db: Db,
  consent: { channel: string; externalId: string; version: string; at: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO privacy_consent (channel, external_id, notice_version, agreed_at) VALUES ($1, $2, $3, $4)`,
    [consent.channel, consent.externalId, consent.version, consent.at],
  )
}

/** Once bound, the identity's consents name the owner (their export and deletion find them). */
export async function attributeConsents(
  db: Db,
  channel: string,
  externalId: string,
  ownerId: number,
): Promise<void> {
  await db.query(
    `UPDATE privacy_consent SET owner_id = $3 WHERE channel = $1 AND external_id = $2 AND owner_id IS NULL`,
    [channel, externalId, ownerId],
  )
}

export interface OwnSummary {
  name: string
  phone: string
  householdCode: string
  units: string[]
  accounts: number
  cases: number
  consentVersion: string | null
  consentAt: Date | null
}

/** What an owner sees of their own record in chat (查看我的信息). */
export async function ownSummary(
  db: Db,
  ownerId: number,
  identity: { channel: string; externalId: string },
): Promise<OwnSummary> {
  const [row] = await queryRows<Omit<OwnSummary, 'phone'> & { phoneEnc: string }>(
    db,
    `SELECT o.name, o.phone_enc AS "phoneEnc", h.code AS "householdCode",
            ${UNITS_OF_OWNER} AS units,
            (SELECT count(*)::int FROM channel_identity WHERE owner_id = o.id) AS accounts,
            (SELECT count(*)::int FROM service_case WHERE owner_id = o.id) AS cases,
            c.notice_version AS "consentVersion", c.agreed_at AS "consentAt"
       FROM owner o JOIN household h ON h.id = o.household_id
       LEFT JOIN LATERAL (SELECT notice_version, agreed_at FROM privacy_consent
                           WHERE channel = $2 AND external_id = $3 AND withdrawn_at IS NULL
                           ORDER BY id DESC LIMIT 1) c ON true
      WHERE o.id = $1`,
    [ownerId, identity.channel, identity.externalId],
  )
  const { phoneEnc, ...rest } = row
  return { ...rest, phone: openPhone(phoneEnc) ?? '' }
}

/** Owners whose sealed number is not under `currentVersion` (after a key rotation), a batch at a time. */
export function ownersSealedWithOldKeys(
  db: Db,
  currentVersion: string,
  afterId: number,
  limit: number,
): Promise<{ id: number; phoneEnc: string }[]> {
  return queryRows(
    db,
    `SELECT id, phone_enc AS "phoneEnc" FROM owner
      WHERE id > $3 AND phone_enc <> '' AND NOT starts_with(phone_enc, $1 || ':') ORDER BY id LIMIT $2`,
    [currentVersion, limit, afterId],
  )
}

export function ownersSealed(
  db: Db,
  afterId: number,
  limit: number,
): Promise<{ id: number; phoneEnc: string }[]> {
  return queryRows(
    db,
    `SELECT id, phone_enc AS "phoneEnc" FROM owner WHERE id > $1 AND phone_enc <> '' ORDER BY id LIMIT $2`,
    [afterId, limit],
  )
}

export async function resealOwnerPhone(
  db: Db,
  id: number,
  phoneEnc: string,
  phoneKey: string,
): Promise<void> {
  await db.query(`UPDATE owner SET phone_enc = $2, phone_key = $3 WHERE id = $1`, [id, phoneEnc, phoneKey])
}
