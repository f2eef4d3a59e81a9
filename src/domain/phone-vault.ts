import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto'

/**
 * Owners' phone numbers at rest: encrypted with AES-256-GCM (a random 96-bit nonce per value, the key's
 * version stored with it) and found by a keyed hash (HMAC-SHA256 under a separate lookup key), so a copy
 * of the database neither shows the numbers nor lets anyone test a guessed number against them. Keys
 * come from the environment; rotation adds a new encryption key in front and re-encrypts (see
 * docs/security.md).
 */
export interface PhoneKeys {
  /** Versions newest first; the first encrypts, all decrypt. */
  encryption: { version: string; key: Buffer }[]
  lookup: Buffer
}

/** Development and tests only: production refuses to start without PHONE_KEYS and PHONE_LOOKUP_KEY. */
export const DEVELOPMENT_PHONE_KEYS: PhoneKeys = {
  encryption: [{ version: 'dev', key: createHash('sha256').update('anju-development-phone-key').digest() }],
  lookup: createHash('sha256').update('anju-development-phone-lookup').digest(),
}

/** "v2:BASE64,v1:BASE64" (32-byte keys) and a BASE64 lookup key → keys, or an error naming what is wrong. */
export function parsePhoneKeys(encryption: string, lookup: string): PhoneKeys {
  const keys = encryption.split(',').map((entry) => {
    const [version, material] = entry.trim().split(':')
    const key = Buffer.from(material ?? '', 'base64')
    if (!/^[a-z0-9]{1,16}$/i.test(version ?? '') || key.length !== 32)
      throw new Error('PHONE_KEYS: expected version:base64 of 32 bytes, comma-separated, newest first')
    return { version, key }
  })
  const lookupKey = Buffer.from(lookup, 'base64')
  if (lookupKey.length !== 32) throw new Error('PHONE_LOOKUP_KEY: expected base64 of 32 bytes')
  return { encryption: keys, lookup: lookupKey }
}

let active: PhoneKeys = DEVELOPMENT_PHONE_KEYS

/** Set once at start-up from the configuration. */
export function usePhoneKeys(keys: PhoneKeys): void {
  active = keys
}

export function sealPhone(phone: string, keys: PhoneKeys = active): string {
  const { version, key } = keys.encryption[0]
  const nonce = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  const body = Buffer.concat([cipher.update(phone, 'utf8'), cipher.final()])
  return `${version}:${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64')}`
}

/** The number, or null for a value no configured key opens (a key removed too early). */
export function openPhone(sealed: string | null, keys: PhoneKeys = active): string | null {
  if (!sealed) return null
  const [version, payload] = sealed.split(':')
  const key = keys.encryption.find((k) => k.version === version)?.key
  if (!key || !payload) return null
  const bytes = Buffer.from(payload, 'base64')
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12))
    decipher.setAuthTag(bytes.subarray(bytes.length - 16))
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString(
      'utf8',
    )
  } catch {
    return null
  }
}

/** The keyed hash a number is found by (binding, search, uniqueness per household, lock-out counts). */
export function phoneLookupKey(phone: string, keys: PhoneKeys = active): string {
  return createHmac('sha256', keys.lookup).update(phone, 'utf8').digest('hex')
}

/** Whether a value is sealed with an older key than the current one (a rotation's re-encryption). */
export function sealedWithOldKey(sealed: string, keys: PhoneKeys = active): boolean {
  return !sealed.startsWith(`${keys.encryption[0].version}:`)
}
