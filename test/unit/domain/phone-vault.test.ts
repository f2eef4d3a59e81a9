import { randomBytes } from 'node:crypto'
import {
  openPhone,
  parsePhoneKeys,
  phoneLookupKey,
  sealPhone,
  sealedWithOldKey,
} from '../../../src/domain/phone-vault'

const key = () => randomBytes(32).toString('base64')

describe('owners’ phone numbers at rest', () => {
  const old = parsePhoneKeys(`v1:${key()}`, key())
  it('seals a number so that it reads back, never twice the same, and not without the key', () => {
    const a = sealPhone('13800000001', old)
    const b = sealPhone('13800000001', old)
    expect(a).not.toBe(b)
    expect(a).not.toContain('13800000001')
    expect(a.startsWith('v1:')).toBe(true)
    expect(openPhone(a, old)).toBe('13800000001')
    expect(openPhone(a, parsePhoneKeys(`v1:${key()}`, key()))).toBeNull()
    // A changed byte is detected (GCM's tag), not decrypted into another number.
    const tampered = a.slice(0, -6) + (a.slice(-6, -5) === 'A' ? 'B' : 'A') + a.slice(-5)
    expect(openPhone(tampered, old)).toBeNull()
  })

  it('finds a number by a keyed hash that says nothing without the key', () => {
    expect(phoneLookupKey('13800000001', old)).toBe(phoneLookupKey('13800000001', old))
    expect(phoneLookupKey('13800000001', old)).not.toBe(phoneLookupKey('13800000002', old))
    const other = parsePhoneKeys(`v1:${key()}`, key())
    expect(phoneLookupKey('13800000001', other)).not.toBe(phoneLookupKey('13800000001', old))
  })

  it('reads numbers sealed with an older key after a rotation, and knows which to seal again', () => {
    const sealed = sealPhone('13900001111', old)
    const rotated = parsePhoneKeys(`v2:${key()},v1:${old.encryption[0].key.toString('base64')}`, key())
    expect(openPhone(sealed, rotated)).toBe('13900001111')
    expect(sealedWithOldKey(sealed, rotated)).toBe(true)
    expect(sealedWithOldKey(sealPhone('13900001111', rotated), rotated)).toBe(false)
  })

  it('refuses keys that are not 32 bytes', () => {
    expect(() => parsePhoneKeys('v1:c2hvcnQ=', key())).toThrow(/PHONE_KEYS/)
    expect(() => parsePhoneKeys(`v1:${key()}`, 'c2hvcnQ=')).toThrow(/PHONE_LOOKUP_KEY/)
  })
})
