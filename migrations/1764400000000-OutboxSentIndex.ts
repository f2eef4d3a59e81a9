import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * WeCom's per-member limits (30 a minute, 1000 an hour) are checked before every app message by counting
 * that member's recent sends; without this index the count read the whole outbox. Built concurrently
 * (outside a transaction) so that a live outbox keeps taking writes while it builds.
 */
export class OutboxSentIndex1764400000000 implements MigrationInterface {
  name = 'OutboxSentIndex1764400000000'
  transaction = false

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS outbox_recipient_sent ON outbox (channel, recipient, sent_at)
        WHERE status = 'sent'`,
    )
  }

  // Not CONCURRENTLY: TypeORM reverts every migration inside a transaction, whatever it declares.
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS outbox_recipient_sent`)
  }
}
