import { createHmac, timingSafeEqual } from 'node:crypto'
import type { EntityManager } from 'typeorm'
import { mediaByRefs, sharedSecret, type MediaFile } from '../../db/media-queries'

/** How long a link to an owner's picture works: long enough to open it, too short to pass around. */
export const LINK_SECONDS = 10 * 60

export type MediaVariant = 'full' | 'thumb'

let secret: Promise<Buffer> | null = null
const signingKey = (db: Pick<EntityManager, 'query'>) => (secret ??= sharedSecret(db, 'media-links'))

const signature = (key: Buffer, id: number, variant: MediaVariant, expires: number) =>
  createHmac('sha256', key).update(`${id}:${variant}:${expires}`).digest('hex')

/** What staff see of one file: its state, and while stored, short-lived links to it and its thumbnail. */
export interface MediaView {
  id: number
  kind: string
  status: MediaFile['status']
  contentType: string | null
  url: string | null
  thumbnailUrl: string | null
}

/**
 * Links to the media behind channel references, for a viewer the caller has already checked may see
 * them (the conversation's or the case's scope). A link names the file, the variant and when it
 * expires, signed with a key every instance shares: whoever holds it may fetch that file until then.
 */
export async function mediaViews(
  db: Pick<EntityManager, 'query'>,
  refs: string[],
  now: Date,
): Promise<Map<string, MediaView>> {
  const files = await mediaByRefs(db, [...new Set(refs)])
  const key = await signingKey(db)
  const expires = Math.floor(now.getTime() / 1000) + LINK_SECONDS
  const link = (file: MediaFile, variant: MediaVariant) =>
    `/media/${file.id}?v=${variant}&exp=${expires}&sig=${signature(key, file.id, variant, expires)}`
  return new Map(
    files.map((file) => [
      file.sourceRef,
      {
        id: file.id,
        kind: file.kind,
        status: file.status,
        contentType: file.contentType,
        url: file.status === 'stored' ? link(file, 'full') : null,
        thumbnailUrl: file.status === 'stored' && file.thumbnailKey ? link(file, 'thumb') : null,
      },
    ]),
  )
}

/** Whether a link is genuine and unexpired (constant-time comparison of the signature). */
export async function linkIsValid(
  db: Pick<EntityManager, 'query'>,
  link: { id: number; variant: MediaVariant; expires: number; sig: string },
  now: Date,
): Promise<boolean> {
  if (!Number.isSafeInteger(link.expires) || link.expires * 1000 < now.getTime()) return false
  const expected = Buffer.from(signature(await signingKey(db), link.id, link.variant, link.expires), 'hex')
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(link.sig) ? link.sig : '', 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}
