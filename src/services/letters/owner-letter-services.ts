import type { EntityManager } from 'typeorm'
import type { LetterServices, LetterSummary } from '../../dialogs/flows/letters.dialog'
import type { OwnerSession } from '../../dialogs/ports'
import { formatShanghai } from '../../domain/working-time'
import {
  letterForOwner,
  lettersForOwner,
  markLetterRead,
  recordLetterResponse,
} from '../../db/letter-queries'

export class PgLetterServices implements LetterServices {
  constructor(
    private readonly manager: EntityManager,
    private readonly now: Date,
  ) {}

  async lettersFor(session: OwnerSession): Promise<LetterSummary[]> {
    const rows = await lettersForOwner(this.manager, session, this.now)
    return rows.map((row) => ({
      letterId: row.id,
      title: row.title,
      kind: row.kind,
      publishedAt: formatShanghai(row.published_at).replace(/（.*$/, ''),
      read: row.read,
    }))
  }

  async read(
    session: OwnerSession,
    letterId: number,
  ): Promise<{ title: string; body: string; kind: string; responded: boolean } | null> {
    const letter = await letterForOwner(this.manager, session, letterId, this.now)
    if (!letter) return null
    await markLetterRead(this.manager, letterId, session.ownerId, this.now)
    return letter
  }

  async respond(session: OwnerSession, letterId: number, response: string): Promise<boolean> {
    return recordLetterResponse(this.manager, letterId, session.ownerId, response, this.now)
  }
}
