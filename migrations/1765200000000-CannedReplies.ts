import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Canned replies (快捷回复): texts staff send with one click, group-wide (project_id NULL) or for one
 * project, with placeholders filled per conversation. Retired rather than deleted, so the transcript's
 * past replies keep their meaning and the audit log its subject.
 */
export class CannedReplies1765200000000 implements MigrationInterface {
  name = 'CannedReplies1765200000000'

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE canned_reply (
        id serial PRIMARY KEY,
        project_id int REFERENCES project(id),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 40),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz
      );
      CREATE INDEX canned_reply_project ON canned_reply (project_id) WHERE retired_at IS NULL`)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE canned_reply`)
  }
}
