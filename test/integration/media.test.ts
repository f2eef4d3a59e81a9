import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { mediaById, recordMedia, leaseDueMedia } from '../../src/db/media-queries'
import { MediaFetcher, MediaGone, type MediaSource } from '../../src/services/media/media-fetcher'
import { linkIsValid, mediaViews, LINK_SECONDS } from '../../src/services/media/media-links'
import { FileMediaStore, S3MediaStore, type MediaStore } from '../../src/services/media/media-store'
import { testClock } from '../support/clock'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { silentLogger } from '../support/harness'
import { startS3Server } from '../support/s3-server'

/** Keeping owners' media: the stores, the fetcher's retries and refusals, and the signed links. */
let db: TestDatabase
let s3: Awaited<ReturnType<typeof startS3Server>>
let directory: string
let conversationId: number
let messageSeq = 0

beforeAll(async () => {
  db = await createTestDatabase()
  s3 = await startS3Server()
  directory = await mkdtemp(path.join(tmpdir(), 'anju-media-'))
  const [row] = await db.dataSource.query(
    `INSERT INTO conversation (channel, external_id) VALUES ('test', 'media-owner') RETURNING id`,
  )
  conversationId = row.id
})
afterAll(async () => {
  await s3.stop()
  await rm(directory, { recursive: true, force: true })
  await db.drop()
})

const s3Store = () =>
  new S3MediaStore({
    endpoint: s3.env.S3_ENDPOINT,
    region: 'us-east-1',
    bucket: s3.env.S3_BUCKET,
    accessKeyId: s3.env.S3_ACCESS_KEY_ID,
    secretAccessKey: s3.env.S3_SECRET_ACCESS_KEY,
    forcePathStyle: true,
  })

async function sent(ref: string, kind: 'image' | 'voice' | 'file' = 'image'): Promise<number> {
  messageSeq += 1
  const [message] = await db.dataSource.query(
    `INSERT INTO inbound_message (channel, message_id, conversation_id, media, status) VALUES ('test', $1, $2, $3, 'done') RETURNING id`,
    [`media-msg-${messageSeq}`, conversationId, JSON.stringify({ kind, ref })],
  )
  await recordMedia(db.dataSource, {
    channel: 'test',
    sourceRef: ref,
    kind,
    conversationId,
    inboundMessageId: message.id,
    at: testClock(),
  })
  const [{ id }] = await db.dataSource.query(`SELECT id::int FROM media_file WHERE source_ref = $1`, [ref])
  return id
}

describe.each([
  ['a directory under DATA_DIR', (): MediaStore => new FileMediaStore(directory)],
  ['an S3-protocol server (s3rver)', s3Store],
])('the media store: %s', (_where, store) => {
  it('keeps bytes under a key and says when there are none', async () => {
    await store().put('media/2026-12/1', Buffer.from('您好'), 'text/plain')
    expect((await store().get('media/2026-12/1'))?.toString()).toBe('您好')
    expect(await store().get('media/2026-12/none')).toBeNull()
  })
})

it('refuses a key that could leave the media directory', async () => {
  await expect(
    new FileMediaStore(directory).put('../escape', Buffer.from('x'), 'text/plain'),
  ).rejects.toThrow(/unsafe/)
})

describe('the fetcher', () => {
  const jpeg = () =>
    sharp({ create: { width: 640, height: 480, channels: 3, background: '#c33' } })
      .jpeg()
      .toBuffer()

  function fetcher(source: MediaSource, now = testClock, store: MediaStore = s3Store()) {
    return new MediaFetcher(db.dataSource, store, new Map([['test', source]]), silentLogger, now)
  }

  it('stores a picture with its thumbnail and checksum, and links staff to both', async () => {
    const bytes = await jpeg()
    const id = await sent('test-media:photo-1')
    expect(await fetcher({ fetch: async () => bytes }).run()).toBeGreaterThanOrEqual(1)
    const stored = await mediaById(db.dataSource, id)
    expect(stored).toMatchObject({ status: 'stored', contentType: 'image/jpeg', sizeBytes: bytes.length })
    expect((await s3Store().get(stored!.storageKey!))!.equals(bytes)).toBe(true)
    const views = await mediaViews(db.dataSource, ['test-media:photo-1'], testClock())
    const view = views.get('test-media:photo-1')!
    expect(view).toMatchObject({ id, status: 'stored' })
    const link = new URL(view.url!, 'http://x')
    const params = {
      id,
      variant: 'full' as const,
      expires: Number(link.searchParams.get('exp')),
      sig: link.searchParams.get('sig')!,
    }
    expect(await linkIsValid(db.dataSource, params, testClock())).toBe(true)
    expect(await linkIsValid(db.dataSource, { ...params, variant: 'thumb' }, testClock())).toBe(false)
    expect(await linkIsValid(db.dataSource, { ...params, id: id + 1 }, testClock())).toBe(false)
    const later = new Date(testClock().getTime() + (LINK_SECONDS + 1) * 1000)
    expect(await linkIsValid(db.dataSource, params, later)).toBe(false)
  })

  it('tries again with back-off after a failed download, and gives up when the channel no longer has the file', async () => {
    const id = await sent('test-media:flaky')
    let calls = 0
    const flaky: MediaSource = {
      fetch: async () => {
        calls += 1
        if (calls === 1) throw new Error('connection reset')
        throw new MediaGone('40007 invalid media_id')
      },
    }
    await fetcher(flaky).run()
    const waiting = await mediaById(db.dataSource, id)
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, error: 'connection reset' })
    // Not before its back-off …
    await fetcher(flaky).run()
    expect(calls).toBe(1)
    // … then again, and the channel has forgotten it.
    await fetcher(flaky, () => new Date(testClock().getTime() + 60_000)).run()
    expect(await mediaById(db.dataSource, id)).toMatchObject({ status: 'failed', attempts: 2 })
  })

  it('refuses what is not what it claims, and keeps the refusal', async () => {
    const id = await sent('test-media:fake-photo')
    await fetcher({ fetch: async () => Buffer.from('<html><script>alert(1)</script>') }).run()
    expect(await mediaById(db.dataSource, id)).toMatchObject({
      status: 'rejected',
      error: 'not a picture we can show',
    })
    expect(
      (await mediaViews(db.dataSource, ['test-media:fake-photo'], testClock())).get('test-media:fake-photo'),
    ).toMatchObject({
      status: 'rejected',
      url: null,
    })
  })

  it('loses nothing when an instance dies mid-download: the lease runs out and another instance keeps it', async () => {
    const bytes = await jpeg()
    const id = await sent('test-media:crash')
    // An instance leased it and died.
    const [leased] = (await leaseDueMedia(db.dataSource, testClock(), 10, 5 * 60_000)).filter(
      (f) => f.id === id,
    )
    expect(leased).toBeDefined()
    await fetcher({ fetch: async () => bytes }).run()
    expect(await mediaById(db.dataSource, id)).toMatchObject({ status: 'pending' })
    const afterLease = () => new Date(testClock().getTime() + 6 * 60_000)
    await fetcher({ fetch: async () => bytes }, afterLease).run()
    expect(await mediaById(db.dataSource, id)).toMatchObject({ status: 'stored' })
  })
})
