import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Failed binding checks, counted per identity and per phone number claimed, so that guessing an owner's
 * file is stopped however the guesser moves through the dialog or how many WeChat accounts they use.
 * The phone is kept as a hash: the count needs equality only. Also: the append-only tables refuse
 * TRUNCATE, which row triggers do not see.
 */
export class BindingFailures1764800000000 implements MigrationInterface {
  name = 'BindingFailures1764800000000'

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE binding_failure (
        id bigserial PRIMARY KEY,
        channel text NOT NULL,
        external_id text NOT NULL,
        phone_hash text NOT NULL,
        at timestamptz NOT NULL
      );
      CREATE INDEX binding_failure_identity ON binding_failure (channel, external_id, at);
      CREATE INDEX binding_failure_phone ON binding_failure (phone_hash, at);

      CREATE FUNCTION refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: it cannot be truncated', TG_TABLE_NAME;
      END $$;
      CREATE TRIGGER case_event_no_truncate BEFORE TRUNCATE ON case_event
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
      CREATE TRIGGER letter_delivery_no_truncate BEFORE TRUNCATE ON letter_delivery
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
      CREATE TRIGGER letter_no_truncate BEFORE TRUNCATE ON letter
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
    `)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER letter_no_truncate ON letter;
      DROP TRIGGER letter_delivery_no_truncate ON letter_delivery;
      DROP TRIGGER audit_log_no_truncate ON audit_log;
      DROP TRIGGER case_event_no_truncate ON case_event;
      DROP FUNCTION refuse_truncate();
      DROP TABLE binding_failure;
    `)
  }
}
