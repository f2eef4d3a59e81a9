import type { DataSource } from 'typeorm'
import { ownersSealed, ownersSealedWithOldKeys, resealOwnerPhone } from '../../db/personal-data-queries'
import { openPhone, phoneLookupKey, sealPhone, type PhoneKeys } from '../../domain/phone-vault'

const BATCH = 500

/**
 * After a key rotation: numbers sealed with an older encryption key are sealed again with the current
 * one (`lookup: false`, run at every start-up, cheap when nothing is old), or every number's lookup hash
 * is recomputed too (`lookup: true`, after PHONE_LOOKUP_KEY changed: `npm run phones:rekey`). Batches of
 * 500 in their own transactions; idempotent, so an interrupted run is simply run again. Returns how many
 * owners were changed; a number no configured key opens is left alone (and counted in `unreadable`).
 */
export async function rekeyPhones(
  dataSource: DataSource,
  keys: PhoneKeys,
  options: { lookup: boolean },
): Promise<{ changed: number; unreadable: number }> {
  let changed = 0
  let unreadable = 0
  let after = 0
  for (;;) {
    const batch = options.lookup
      ? await ownersSealed(dataSource, after, BATCH)
      : await ownersSealedWithOldKeys(dataSource, keys.encryption[0].version, after, BATCH)
    if (batch.length === 0) return { changed, unreadable }
    await dataSource.transaction(async (manager) => {
      for (const owner of batch) {
        const phone = openPhone(owner.phoneEnc, keys)
        if (phone === null) {
          unreadable += 1
          continue
        }
        await resealOwnerPhone(manager, owner.id, sealPhone(phone, keys), phoneLookupKey(phone, keys))
        changed += 1
      }
    })
    after = batch[batch.length - 1].id
  }
}
