import sharp from 'sharp'
import type { StoredKind } from '../../db/media-queries'

/** The largest file kept per kind: WeCom's own limits for what can be sent (10 MB images, 2 MB voice …). */
export const MAX_BYTES: Record<StoredKind, number> = {
  image: 10 * 1024 * 1024,
  voice: 2 * 1024 * 1024,
  video: 10 * 1024 * 1024,
  file: 20 * 1024 * 1024,
}

export type Inspected =
  { ok: true; contentType: string; thumbnail: Buffer | null } | { ok: false; reason: string }

const starts = (bytes: Buffer, signature: string | number[], offset = 0) => {
  const expected = typeof signature === 'string' ? Buffer.from(signature, 'latin1') : Buffer.from(signature)
  return (
    bytes.length >= offset + expected.length &&
    bytes.subarray(offset, offset + expected.length).equals(expected)
  )
}

/** Types by their first bytes; what is not listed is refused (an .exe called photo.jpg stays out). */
const SIGNATURES: { type: string; kinds: StoredKind[]; test: (b: Buffer) => boolean }[] = [
  { type: 'audio/amr', kinds: ['voice', 'file'], test: (b) => starts(b, '#!AMR') },
  {
    type: 'audio/silk',
    kinds: ['voice', 'file'],
    test: (b) => starts(b, '#!SILK') || starts(b, '\x02#!SILK'),
  },
  { type: 'audio/mpeg', kinds: ['voice', 'file'], test: (b) => starts(b, 'ID3') || starts(b, [0xff, 0xfb]) },
  { type: 'video/mp4', kinds: ['video', 'voice', 'file'], test: (b) => starts(b, 'ftyp', 4) },
  { type: 'application/pdf', kinds: ['file'], test: (b) => starts(b, '%PDF-') },
  // Office files: OOXML (docx, xlsx, pptx) are zip archives, the older formats OLE compound files.
  { type: 'application/zip', kinds: ['file'], test: (b) => starts(b, [0x50, 0x4b, 0x03, 0x04]) },
  { type: 'application/x-ole-storage', kinds: ['file'], test: (b) => starts(b, [0xd0, 0xcf, 0x11, 0xe0]) },
]

/** Image formats a browser shows and we thumbnail; SVG (a script can hide in it) is not one. */
const IMAGE_FORMATS: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
}

const THUMBNAIL_WIDTH = 320

/**
 * What a file really is, from its bytes (not its name or the type the sender claimed): within the size
 * limit, of a type we keep for its kind, and for a picture a thumbnail (sharp, which also proves the
 * picture decodes).
 */
export async function inspectMedia(kind: StoredKind, bytes: Buffer): Promise<Inspected> {
  if (bytes.length === 0) return { ok: false, reason: 'empty file' }
  if (bytes.length > MAX_BYTES[kind]) return { ok: false, reason: `over ${MAX_BYTES[kind]} bytes` }
  if (kind === 'image' || kind === 'file') {
    const image = await sharp(bytes, { animated: false })
      .metadata()
      .catch(() => null)
    const contentType = image?.format ? IMAGE_FORMATS[image.format] : undefined
    if (contentType) {
      const thumbnail = await sharp(bytes)
        .rotate()
        .resize({ width: THUMBNAIL_WIDTH, withoutEnlargement: true })
        .jpeg({ quality: 75 })
        .toBuffer()
        .catch(() => null)
      // A header that reads as a picture over bytes that do not decode is no picture to show.
      if (!thumbnail) return { ok: false, reason: 'the picture does not decode' }
      return { ok: true, contentType, thumbnail }
    }
    if (kind === 'image') return { ok: false, reason: 'not a picture we can show' }
  }
  const known = SIGNATURES.find((signature) => signature.kinds.includes(kind) && signature.test(bytes))
  if (!known) return { ok: false, reason: `not a ${kind} type we keep` }
  return { ok: true, contentType: known.type, thumbnail: null }
}
