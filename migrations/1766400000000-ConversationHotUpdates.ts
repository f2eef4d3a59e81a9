import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Every owner turn rewrites its conversation's dialog and expiry. With no index over those columns the
 * rewrite can be a HOT update (the new row version on the same page, no index entries written), and
 * pages are left a fifth empty so that there is room for it. The minute's expiry sweep scans the table
 * instead: once a minute, against an index write on every turn.
 */
export class ConversationHotUpdates1766400000000 implements MigrationInterface {
  name = 'ConversationHotUpdates1766400000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX conversation_dialog_expiry`)
    await queryRunner.query(`ALTER TABLE conversation SET (fillfactor = 80)`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE conversation RESET (fillfactor)`)
    await queryRunner.query(
      `CREATE INDEX conversation_dialog_expiry ON conversation (dialog_expires_at) WHERE dialog IS NOT NULL`,
    )
  }
}
