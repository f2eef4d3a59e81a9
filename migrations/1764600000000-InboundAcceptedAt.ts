import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * When this server accepted a message, by the database's clock. `received_at` is the channel's own
 * stamp (WeCom's send time, the app's business clock on the console), so it cannot tell how long a
 * message has waited here; the recovery sweep asks exactly that.
 */
export class InboundAcceptedAt1764600000000 implements MigrationInterface {
  name = 'InboundAcceptedAt1764600000000'

  async up(q: QueryRunner): Promise<void> {
    // now() is stable within the statement, so existing rows take it without a table rewrite.
    await q.query(`ALTER TABLE inbound_message ADD COLUMN accepted_at timestamptz NOT NULL DEFAULT now()`)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbound_message DROP COLUMN accepted_at`)
  }
}
