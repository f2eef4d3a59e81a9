import { createHash } from 'node:crypto'
import type { DataSource } from 'typeorm'
import { systemClock, type Clock } from '../../clock'
import {
  leaseDueMedia,
  markMediaNotStored,
  markMediaStored,
  type MediaFile,
  type StoredKind,
} from '../../db/media-queries'
import type { Logger } from '../../logger'
import { inspectMedia, MAX_BYTES } from './media-inspect'
import type { MediaStore } from './media-store'

/** How one channel hands over a file by its reference (WeCom media/get, a Wechaty FileBox). */
export interface MediaSource {
  fetch(ref: string, kind: StoredKind, maxBytes: number): Promise<Buffer>
}

/** A fetch that will never succeed (the channel no longer has the file): no more attempts. */
export class MediaGone extends Error {}

const BATCH = 10
const LEASE_MS = 5 * 60_000
const MAX_ATTEMPTS = 8
/** 30 s, 1 min, 2 min … capped at an hour: well inside a 微信客服 media_id's three days. */
const backoffMs = (attempts: number) => Math.min(60 * 60_000, 30_000 * 2 ** (attempts - 1))

/**
 * Fetches owners' media from their channels and keeps them: leased rows (no transaction is held over a
 * download), content checked from the bytes, a thumbnail for pictures, stored under our own key, then
 * marked stored. Failures are retried with back-off; a file the channel no longer has, or one we do not
 * keep (wrong type, too large), is marked so and shown as such, never silently dropped.
 */
export class MediaFetcher {
  private running: Promise<number> | null = null
  private again = false

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: MediaStore,
    private readonly sources: ReadonlyMap<string, MediaSource>,
    private readonly logger: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Starts a run now, or one more right after the current run (a turn just recorded media). */
  wake(): void {
    if (this.running) {
      this.again = true
      return
    }
    void this.run().catch((error: unknown) => this.logger.error({ err: error }, 'media fetch run failed'))
  }

  /** Fetches everything due; resolves with how many files were stored. */
  run(): Promise<number> {
    if (this.running) return this.running
    this.running = (async () => {
      let stored = 0
      try {
        do {
          this.again = false
          for (;;) {
            const leased = await leaseDueMedia(this.dataSource, this.clock(), BATCH, LEASE_MS)
            for (const file of leased) if (await this.keep(file)) stored += 1
            if (leased.length < BATCH) break
          }
        } while (this.again)
      } finally {
        this.running = null
      }
      return stored
    })()
    return this.running
  }

  private async keep(file: MediaFile): Promise<boolean> {
    const source = this.sources.get(file.channel)
    if (!source) {
      await markMediaNotStored(this.dataSource, file.id, {
        status: 'failed',
        error: `no media source for ${file.channel}`,
      })
      return false
    }
    try {
      const bytes = await source.fetch(file.sourceRef, file.kind, MAX_BYTES[file.kind])
      const inspected = await inspectMedia(file.kind, bytes)
      if (!inspected.ok) {
        await markMediaNotStored(this.dataSource, file.id, { status: 'rejected', error: inspected.reason })
        return false
      }
      const now = this.clock()
      const key = `media/${now.toISOString().slice(0, 7)}/${file.id}`
      await this.store.put(key, bytes, inspected.contentType)
      const thumbnailKey = inspected.thumbnail ? `${key}.thumb.jpg` : null
      if (inspected.thumbnail && thumbnailKey)
        await this.store.put(thumbnailKey, inspected.thumbnail, 'image/jpeg')
      await markMediaStored(
        this.dataSource,
        file.id,
        {
          storageKey: key,
          thumbnailKey,
          contentType: inspected.contentType,
          sizeBytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
        },
        now,
      )
      return true
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      const givingUp = error instanceof MediaGone || file.attempts >= MAX_ATTEMPTS
      this.logger.warn(
        { media: file.id, attempts: file.attempts, givingUp, err: message },
        'media not fetched',
      )
      await markMediaNotStored(
        this.dataSource,
        file.id,
        givingUp
          ? { status: 'failed', error: message }
          : {
              status: 'pending',
              retryAt: new Date(this.clock().getTime() + backoffMs(file.attempts)),
              error: message,
            },
      )
      return false
    }
  }
}
