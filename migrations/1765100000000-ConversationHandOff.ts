import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * A conversation "with staff": since when (handed_off_at, which existed), to whom, and when staff last
 * wrote in it — the bot stays quiet meanwhile, and takes the conversation back after a quiet spell.
 */
export class ConversationHandOff1765100000000 implements MigrationInterface {
  name = 'ConversationHandOff1765100000000'

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE conversation
        ADD COLUMN handed_off_to int REFERENCES ambassador(id),
        ADD COLUMN staff_active_at timestamptz;
      CREATE INDEX conversation_with_staff ON conversation (handed_off_at) WHERE handed_off_at IS NOT NULL;
      CREATE INDEX inbound_message_conversation ON inbound_message (conversation_id, id);
      CREATE INDEX outbox_conversation ON outbox (conversation_id, id) WHERE conversation_id IS NOT NULL`)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX outbox_conversation;
      DROP INDEX inbound_message_conversation;
      DROP INDEX conversation_with_staff;
      ALTER TABLE conversation DROP COLUMN staff_active_at, DROP COLUMN handed_off_to`)
  }
}
