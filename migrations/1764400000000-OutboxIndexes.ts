import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Two reads that scanned the whole outbox, which grows by every reply and every letter: WeCom's
 * per-member limits (30 a minute, 1000 an hour), checked before every app message by counting that
 * member's recent sends, and the dead messages counted at each /metrics scrape. Built concurrently
 * (outside a transaction) so that a live outbox keeps taking writes while they build.
 */
export class OutboxIndexes1764400000000 implements MigrationInterface {
  name = 'OutboxIndexes1764400000000'
  transaction = false

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS outbox_recipient_sent ON outbox (channel, recipient, sent_at)
        WHERE status = 'sent'`,
    )
    await q.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS outbox_dead ON outbox (channel) WHERE status = 'dead'`,
    )
  }

  // Not CONCURRENTLY: TypeORM reverts every migration inside a transaction, whatever it declares.
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS outbox_dead`)
    await q.query(`DROP INDEX IF EXISTS outbox_recipient_sent`)
  }
}
