import { randomBytes } from 'node:crypto'
import {
  DEVELOPMENT_PHONE_KEYS,
  openPhone,
  parsePhoneKeys,
  phoneLookupKey,
} from '../../src/domain/phone-vault'
import { rekeyPhones } from '../../src/services/households/phone-rekey'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { seedAndBind } from '../support/harness'

/** Key rotation on a real database: re-sealing with the new key, and new lookup hashes. */
let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
  await seedAndBind(db.dataSource, {})
})
afterAll(() => db.drop())

it('keeps no phone number in plain text, and re-seals every number after a rotation', async () => {
  const plain = await db.dataSource.query(`SELECT count(*)::int AS n FROM owner WHERE phone IS NOT NULL`)
  expect(plain[0].n).toBe(0)
  const dev = DEVELOPMENT_PHONE_KEYS.encryption[0]
  // A new encryption key, the lookup key kept: numbers are re-sealed at start-up.
  const rotated = parsePhoneKeys(
    `v2:${randomBytes(32).toString('base64')},${dev.version}:${dev.key.toString('base64')}`,
    DEVELOPMENT_PHONE_KEYS.lookup.toString('base64'),
  )
  const first = await rekeyPhones(db.dataSource, rotated, { lookup: false })
  expect(first.changed).toBeGreaterThanOrEqual(4)
  // Idempotent: nothing is old any more.
  expect((await rekeyPhones(db.dataSource, rotated, { lookup: false })).changed).toBe(0)
  const [zhang] = await db.dataSource.query(`SELECT phone_enc, phone_key FROM owner WHERE name = '张三'`)
  expect(zhang.phone_enc.startsWith('v2:')).toBe(true)
  expect(openPhone(zhang.phone_enc, rotated)).toBe('13800000001')
  expect(zhang.phone_key).toBe(phoneLookupKey('13800000001', DEVELOPMENT_PHONE_KEYS))
  // A new lookup key: npm run phones:rekey finds every number by the new hash.
  const newLookup = { ...rotated, lookup: randomBytes(32) }
  await rekeyPhones(db.dataSource, newLookup, { lookup: true })
  const [after] = await db.dataSource.query(`SELECT phone_key FROM owner WHERE name = '张三'`)
  expect(after.phone_key).toBe(phoneLookupKey('13800000001', newLookup))
})
