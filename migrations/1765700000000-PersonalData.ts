import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Personal data as the PIPL asks: an owner's relation to a household can end (resale, moving out) while
 * the household's history stays; the privacy notice each WeChat identity agreed to before binding, by
 * version; and what the nightly retention run removed, per kind, for /metrics.
 */
export class PersonalData1765700000000 implements MigrationInterface {
  name = 'PersonalData1765700000000'

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE owner
        ADD COLUMN ended_at timestamptz,
        ADD COLUMN ended_reason text CHECK (ended_reason IN ('resale', 'moved_out', 'other')),
        ADD COLUMN anonymised_at timestamptz;
      CREATE TABLE privacy_consent (
        id serial PRIMARY KEY,
        channel text NOT NULL,
        external_id text NOT NULL,
        notice_version text NOT NULL,
        agreed_at timestamptz NOT NULL,
        owner_id int REFERENCES owner(id),
        withdrawn_at timestamptz
      );
      CREATE INDEX privacy_consent_identity ON privacy_consent (channel, external_id);
      CREATE INDEX privacy_consent_owner ON privacy_consent (owner_id);
      CREATE TABLE retention_run (
        kind text PRIMARY KEY,
        last_run_at timestamptz NOT NULL,
        removed_last_run bigint NOT NULL,
        removed_total bigint NOT NULL
      )`)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE retention_run; DROP TABLE privacy_consent;
      ALTER TABLE owner DROP COLUMN ended_at, DROP COLUMN ended_reason, DROP COLUMN anonymised_at`)
  }
}
