import type { EntityManager } from 'typeorm'
import { copy } from '../../copy'
import {
  deliveryCounts,
  insertLetter,
  letterWithProgress,
  lockLetter,
  markLetterPublished,
  queueLetterDeliveries,
  queueUnreachedTasks,
} from '../../db/letter-queries'
import { STAFF_CHANNEL } from '../notifications/staff-notifications'

export type LetterKind = 'progress' | 'design_change' | 'move_in'

export interface NewLetter {
  kind: LetterKind
  projectId: number
  title: string
  body: string
  buildingIds?: number[]
  unitIds?: number[]
  createdBy: string
}

export async function createLetter(
  manager: Pick<EntityManager, 'query'>,
  letter: NewLetter,
): Promise<number> {
  const audience = {
    ...(letter.buildingIds?.length ? { buildingIds: letter.buildingIds } : {}),
    ...(letter.unitIds?.length ? { unitIds: letter.unitIds } : {}),
  }
  return insertLetter(manager, { ...letter, audience })
}

/**
 * Publishes a letter: freezes its content, records one delivery per recipient and queues the messages,
 * all set-based in this transaction. Owners without a chat identity are recorded as held (NO_CHANNEL)
 * and each ambassador gets one task listing how many of their owners need another way.
 */
export async function publishLetter(
  manager: EntityManager,
  letterId: number,
  now: Date,
): Promise<{ recipients: number; queued: number; held: number } | 'NOT_FOUND' | 'ALREADY_PUBLISHED'> {
  const letter = await lockLetter(manager, letterId)
  if (!letter) return 'NOT_FOUND'
  if (letter.published_at) return 'ALREADY_PUBLISHED'
  await markLetterPublished(manager, letterId, now)

  // Each owner's latest conversation is where the letter goes. Deliveries and their messages are
  // written by one statement, so the planner never has to guess about rows it has just inserted.
  const notice = copy.letters.notice(
    copy.letters.kinds[letter.kind as LetterKind] ?? letter.kind,
    letter.title,
    letter.body,
  )
  await queueLetterDeliveries(manager, letterId, now, notice)
  // Each ambassador gets one task listing how many of their owners need another way.
  await queueUnreachedTasks(manager, letterId, {
    channel: STAFF_CHANNEL,
    template: copy.staff.letterWithoutChannel,
    title: letter.title,
  })
  return deliveryCounts(manager, letterId)
}

export async function letterProgress(manager: Pick<EntityManager, 'query'>, letterId: number) {
  const found = await letterWithProgress(manager, letterId)
  if (!found) return null
  const { letter, rows } = found
  const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>
  const total = rows.reduce((sum, r) => sum + r.n, 0)
  const reached = (byStatus.delivered ?? 0) + (byStatus.read ?? 0)
  return {
    ...letter,
    progress: { total, byStatus, reached, done: total > 0 && (byStatus.queued ?? 0) === 0 },
  }
}
