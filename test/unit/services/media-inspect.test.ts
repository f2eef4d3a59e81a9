import sharp from 'sharp'
import { inspectMedia, MAX_BYTES } from '../../../src/services/media/media-inspect'

const picture = (format: 'jpeg' | 'png') => {
  const canvas = sharp({ create: { width: 800, height: 600, channels: 3, background: '#4a7' } })
  return (format === 'jpeg' ? canvas.jpeg() : canvas.png()).toBuffer()
}

describe('what an owner’s file really is', () => {
  it('keeps pictures by their bytes, with a 320-pixel thumbnail', async () => {
    const inspected = await inspectMedia('image', await picture('jpeg'))
    expect(inspected).toMatchObject({ ok: true, contentType: 'image/jpeg' })
    const thumbnail = (inspected as { thumbnail: Buffer }).thumbnail
    expect((await sharp(thumbnail).metadata()).width).toBe(320)
    // A PNG sent as a "file" is still a picture, and shown as one.
    expect(await inspectMedia('file', await picture('png'))).toMatchObject({
      ok: true,
      contentType: 'image/png',
    })
  })

  it.each([
    [
      'an SVG (scripts can hide in it)',
      'image',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ],
    ['HTML called photo.jpg', 'image', Buffer.from('<html><script>alert(1)</script></html>')],
    ['a Windows program', 'file', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)])],
    ['a truncated JPEG', 'image', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])],
    ['nothing at all', 'voice', Buffer.alloc(0)],
  ] as const)('refuses %s', async (_what, kind, bytes) => {
    expect(await inspectMedia(kind, bytes)).toMatchObject({ ok: false })
  })

  it('keeps voice notes, videos and documents of the kinds owners send', async () => {
    expect(await inspectMedia('voice', Buffer.from('#!AMR\n' + 'x'.repeat(100)))).toMatchObject({
      ok: true,
      contentType: 'audio/amr',
    })
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(64)])
    expect(await inspectMedia('video', mp4)).toMatchObject({ ok: true, contentType: 'video/mp4' })
    expect(await inspectMedia('file', Buffer.from('%PDF-1.7\n...'))).toMatchObject({
      ok: true,
      contentType: 'application/pdf',
    })
    // A voice "note" that is a PDF is not a voice note.
    expect(await inspectMedia('voice', Buffer.from('%PDF-1.7\n...'))).toMatchObject({ ok: false })
  })

  it('refuses a file over its kind’s limit', async () => {
    expect(
      await inspectMedia('voice', Buffer.concat([Buffer.from('#!AMR'), Buffer.alloc(MAX_BYTES.voice)])),
    ).toEqual({
      ok: false,
      reason: `over ${MAX_BYTES.voice} bytes`,
    })
  })
})
