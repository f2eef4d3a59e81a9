import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Branches (分公司) as records of their own. A project names its branch, which must exist; renaming a
 * branch renames it in every project (ON UPDATE CASCADE), so scopes and scores follow. A project with no
 * branch (imported without one) has NULL, where it had ''.
 */
export class Branches1766000000000 implements MigrationInterface {
  name = 'Branches1766000000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE branch (
        id serial PRIMARY KEY,
        name text NOT NULL UNIQUE CHECK (name = btrim(name) AND name <> ''),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      ALTER TABLE project ALTER COLUMN branch DROP NOT NULL, ALTER COLUMN branch DROP DEFAULT;
      UPDATE project SET branch = NULLIF(btrim(branch), '');
      INSERT INTO branch (name) SELECT DISTINCT branch FROM project WHERE branch IS NOT NULL ORDER BY branch;
      ALTER TABLE project ADD CONSTRAINT project_branch_fkey
        FOREIGN KEY (branch) REFERENCES branch (name) ON UPDATE CASCADE;
      CREATE INDEX project_branch ON project (branch)
    `)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE project DROP CONSTRAINT project_branch_fkey;
      DROP INDEX project_branch;
      UPDATE project SET branch = '' WHERE branch IS NULL;
      ALTER TABLE project ALTER COLUMN branch SET DEFAULT '', ALTER COLUMN branch SET NOT NULL;
      DROP TABLE branch
    `)
  }
}
