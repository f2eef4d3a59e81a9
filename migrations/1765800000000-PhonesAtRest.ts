import type { MigrationInterface, QueryRunner } from 'typeorm'
import {
  DEVELOPMENT_PHONE_KEYS,
  openPhone,
  parsePhoneKeys,
  phoneLookupKey,
  sealPhone,
} from '../src/domain/phone-vault'

/**
 * Owners' phone numbers leave plain text: each is encrypted (phone_enc) and found by a keyed hash
 * (phone_key), with the keys the app is configured with (PHONE_KEYS, PHONE_LOOKUP_KEY; the development
 * keys where none are set). The plain column is emptied. Lock-out counts kept under the old unkeyed
 * hash simply age out within their 24 hours.
 */
function keysFromEnvironment() {
  return process.env.PHONE_KEYS && process.env.PHONE_LOOKUP_KEY
    ? parsePhoneKeys(process.env.PHONE_KEYS, process.env.PHONE_LOOKUP_KEY)
    : DEVELOPMENT_PHONE_KEYS
}

export class PhonesAtRest1765800000000 implements MigrationInterface {
  name = 'PhonesAtRest1765800000000'

  async up(q: QueryRunner): Promise<void> {
    const keys = keysFromEnvironment()
    await q.query(`
      ALTER TABLE owner ADD COLUMN phone_enc text, ADD COLUMN phone_key text;
      ALTER TABLE owner DROP CONSTRAINT IF EXISTS owner_household_id_phone_key;
      ALTER TABLE owner ALTER COLUMN phone DROP NOT NULL;
      ALTER TABLE owner DROP CONSTRAINT IF EXISTS owner_phone_check;
      DROP INDEX IF EXISTS owner_phone`)
    const owners: { id: number; phone: string }[] = await q.query(
      `SELECT id, phone FROM owner WHERE phone IS NOT NULL`,
    )
    for (const owner of owners)
      await q.query(`UPDATE owner SET phone_enc = $2, phone_key = $3, phone = NULL WHERE id = $1`, [
        owner.id,
        sealPhone(owner.phone, keys),
        phoneLookupKey(owner.phone, keys),
      ])
    await q.query(`
      ALTER TABLE owner ALTER COLUMN phone_enc SET NOT NULL, ALTER COLUMN phone_key SET NOT NULL;
      ALTER TABLE owner ADD CONSTRAINT owner_phone_plain_gone CHECK (phone IS NULL);
      ALTER TABLE owner ADD CONSTRAINT owner_household_phone UNIQUE (household_id, phone_key);
      CREATE INDEX owner_phone_key ON owner (phone_key)`)
  }

  /** Back to plain text, with the same keys (a downgrade needs them as much as the app does). */
  async down(q: QueryRunner): Promise<void> {
    const keys = keysFromEnvironment()
    await q.query(`
      DROP INDEX owner_phone_key;
      ALTER TABLE owner DROP CONSTRAINT owner_household_phone, DROP CONSTRAINT owner_phone_plain_gone`)
    const owners: { id: number; phone_enc: string }[] = await q.query(`SELECT id, phone_enc FROM owner`)
    for (const owner of owners)
      await q.query(`UPDATE owner SET phone = $2 WHERE id = $1`, [
        owner.id,
        openPhone(owner.phone_enc, keys) ?? `000${String(owner.id).padStart(8, '0')}`,
      ])
    await q.query(`
      ALTER TABLE owner DROP COLUMN phone_enc, DROP COLUMN phone_key;
      ALTER TABLE owner ALTER COLUMN phone SET NOT NULL;
      ALTER TABLE owner ADD CONSTRAINT owner_phone_check CHECK (phone ~ '^[0-9+\\-]{5,20}$');
      ALTER TABLE owner ADD CONSTRAINT owner_household_id_phone_key UNIQUE (household_id, phone);
      CREATE INDEX owner_phone ON owner (phone)`)
  }
}
