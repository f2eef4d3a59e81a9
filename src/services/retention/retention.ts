import type { EntityManager } from 'typeorm'
import { scheduleTimer } from '../../db/timers'
import type { TimerHandler } from '../../db/timer-sweep'
import { expireMediaBatch, recordRetentionRun, removeBatch } from '../../db/retention-queries'
import { RETENTION_KINDS, retentionCutoff, type RetentionPolicy } from '../../domain/retention'
import { shanghaiClock, shanghaiInstant } from '../../domain/working-time'
import type { MediaStore } from '../media/media-store'

export const RETENTION_TIMER = 'retention.sweep'

/** Rows per kind per firing: small enough that one firing's transaction stays short. */
const BATCH = 1000
const BATCHES_PER_FIRING = 5

/** 02:30 Beijing time, the night after `now`: the quiet hour. */
export function nextRetentionRunAt(now: Date): Date {
  const today = shanghaiClock(now).ymd
  const tonight = shanghaiInstant(today, 2 * 60 + 30)
  return tonight > now ? tonight : new Date(tonight.getTime() + 86_400_000)
}

/**
 * One pass of the retention policy: for each kind, up to a few batches of the oldest rows past their
 * time. Returns how many rows each kind lost and whether any kind has more waiting.
 */
export async function applyRetention(
  manager: EntityManager,
  policy: RetentionPolicy,
  store: MediaStore,
  now: Date,
): Promise<{ removed: Record<string, number>; more: boolean }> {
  const removed: Record<string, number> = {}
  let more = false
  for (const kind of RETENTION_KINDS) {
    const cutoff = retentionCutoff(policy, kind, now)
    let total = 0
    for (let batch = 0; batch < BATCHES_PER_FIRING; batch += 1) {
      let n: number
      if (kind === 'media') {
        const keys = await expireMediaBatch(manager, cutoff, BATCH)
        for (const key of keys) await store.delete(key)
        n = keys.length
      } else {
        n = await removeBatch(manager, kind, cutoff, BATCH)
      }
      total += n
      if (n < BATCH) break
      if (batch === BATCHES_PER_FIRING - 1) more = true
    }
    removed[kind] = total
    await recordRetentionRun(manager, kind, total, now)
  }
  return { removed, more }
}

/**
 * The nightly run as a timer row (one instance runs it): a firing that leaves work behind comes back in
 * a minute, so a large backlog drains in short transactions and a crash resumes where it stopped.
 */
export function retentionTimerHandlers(
  policy: RetentionPolicy,
  store: MediaStore,
): Record<string, TimerHandler> {
  return {
    [RETENTION_TIMER]: async (manager, timer, now) => {
      const { more } = await applyRetention(manager, policy, store, now)
      await scheduleTimer(
        manager,
        RETENTION_TIMER,
        timer.subject_key,
        more ? new Date(now.getTime() + 60_000) : nextRetentionRunAt(now),
      )
    },
  }
}
