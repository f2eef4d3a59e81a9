import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Every owner turn releases the replies held for its conversation (`conversation_id = $1 AND status =
 * 'held'`). Without this index that update scanned every undelivered outbox row: a 100,000-owner letter
 * waiting out WeCom's limits made each turn 120+ ms for as long as the broadcast lasted. Held rows are
 * few, so the partial index stays small. Built concurrently, as the other outbox indexes.
 */
export class OutboxHeldIndex1764700000000 implements MigrationInterface {
  name = 'OutboxHeldIndex1764700000000'
  transaction = false

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS outbox_held_by_conversation ON outbox (conversation_id)
        WHERE status = 'held'`,
    )
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS outbox_held_by_conversation`)
  }
}
