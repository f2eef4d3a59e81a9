import type { MigrationInterface, QueryRunner } from 'typeorm'

/** Pictures and files owners send: the channel's reference is kept with the message. */
export class InboundMedia1764000000000 implements MigrationInterface {
  name = 'InboundMedia1764000000000'

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbound_message ADD COLUMN media jsonb`)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbound_message DROP COLUMN media`)
  }
}
