import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Organisation through the API: a project's address and its repair capacity template (weekly windows
 * with a capacity each), from which slots are opened ahead; staff are created and leave through the API.
 */
export class Organisation1765300000000 implements MigrationInterface {
  name = 'Organisation1765300000000'

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE project
        ADD COLUMN address text NOT NULL DEFAULT '',
        ADD COLUMN repair_capacity jsonb`)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE project DROP COLUMN repair_capacity, DROP COLUMN address`)
  }
}
