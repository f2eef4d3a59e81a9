import type { EntityManager } from 'typeorm'
import type { LetterServices, LetterSummary, OwnerSession } from '../../dialogs/ports'
import { formatShanghai } from '../../domain/working-time'
import { queryRows } from '../../db/sql'

/**
 * Letters an owner may read: published letters of the projects of the household's units, narrowed by the
 * letter's audience ({} = the whole project, {"buildingIds": [...]}, {"unitIds": [...]}).
 */
const VISIBLE_LETTERS = `
  SELECT DISTINCT l.id, l.title, l.kind, l.body, l.published_at
    FROM household_unit hu
    JOIN unit u ON u.id = hu.unit_id
    JOIN building b ON b.id = u.building_id
    JOIN letter l ON l.project_id = b.project_id
   WHERE hu.household_id = $1 AND l.published_at IS NOT NULL AND l.published_at <= $2
     AND (NOT l.audience ? 'buildingIds' OR l.audience->'buildingIds' @> to_jsonb(b.id))
     AND (NOT l.audience ? 'unitIds' OR l.audience->'unitIds' @> to_jsonb(u.id))`

export class PgLetterServices implements LetterServices {
  constructor(
    private readonly manager: EntityManager,
    private readonly now: Date,
  ) {}

  async lettersFor(session: OwnerSession): Promise<LetterSummary[]> {
    const rows: { id: number; title: string; kind: string; published_at: Date; read: boolean }[] =
      await this.manager.query(
        `SELECT v.id, v.title, v.kind, v.published_at,
                EXISTS (SELECT 1 FROM letter_delivery d WHERE d.letter_id = v.id AND d.owner_id = $3
                          AND d.read_at IS NOT NULL) AS read
           FROM (${VISIBLE_LETTERS}) v
          ORDER BY v.published_at DESC LIMIT 10`,
        [session.householdId, this.now, session.ownerId],
      )
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
    const rows: { title: string; body: string; kind: string; responded: boolean }[] =
      await this.manager.query(
        `SELECT v.title, v.body, v.kind,
              EXISTS (SELECT 1 FROM letter_delivery d WHERE d.letter_id = v.id AND d.owner_id = $4
                        AND d.response IS NOT NULL) AS responded
         FROM (${VISIBLE_LETTERS}) v WHERE v.id = $3`,
        [session.householdId, this.now, letterId, session.ownerId],
      )
    if (rows.length === 0) return null
    // The first read is the receipt; later reads never move it.
    await this.manager.query(
      `INSERT INTO letter_delivery (letter_id, owner_id, status, delivered_at, read_at)
       VALUES ($1, $2, 'read', $3, $3)
       ON CONFLICT (letter_id, owner_id) DO UPDATE
         SET status = 'read', read_at = COALESCE(letter_delivery.read_at, EXCLUDED.read_at),
             delivered_at = COALESCE(letter_delivery.delivered_at, EXCLUDED.delivered_at)`,
      [letterId, session.ownerId, this.now],
    )
    return rows[0]
  }

  async respond(session: OwnerSession, letterId: number, response: string): Promise<boolean> {
    const updated = await queryRows<{ id: string }>(
      this.manager,
      `UPDATE letter_delivery SET response = $3, response_at = $4
        WHERE letter_id = $1 AND owner_id = $2 AND response IS NULL RETURNING id`,
      [letterId, session.ownerId, response, this.now],
    )
    return updated.length > 0
  }
}
