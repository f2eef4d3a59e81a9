import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Staff API tokens (hashed), contractors scored by satisfaction, letters whose published content can no
 * longer change, delivery records that are never deleted and are tied to their outbox rows, and the
 * indexes of the staff case list.
 */
export class AdminApi1764300000000 implements MigrationInterface {
  name = 'AdminApi1764300000000'

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE staff_token (
        id serial PRIMARY KEY,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'group_centre', 'branch_head', 'ambassador', 'letter_staff')),
        ambassador_id int REFERENCES ambassador(id),
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CHECK (role <> 'ambassador' OR ambassador_id IS NOT NULL)
      );

      CREATE TABLE contractor (
        id serial PRIMARY KEY,
        name text NOT NULL UNIQUE,
        contract_value numeric(14, 2) NOT NULL DEFAULT 0 CHECK (contract_value >= 0),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      ALTER TABLE service_case ADD COLUMN contractor_id int REFERENCES contractor(id);
      CREATE INDEX service_case_contractor ON service_case (contractor_id) WHERE contractor_id IS NOT NULL;
      CREATE INDEX service_case_list ON service_case (created_at DESC, id DESC);
      CREATE INDEX service_case_status_list ON service_case (status, created_at DESC, id DESC);
      CREATE INDEX service_case_ambassador_list ON service_case (ambassador_id, created_at DESC, id DESC);

      ALTER TABLE letter_delivery ADD COLUMN channel text, ADD COLUMN response_at timestamptz;
      CREATE INDEX letter_delivery_status ON letter_delivery (letter_id, status);
      ALTER TABLE outbox ADD COLUMN letter_delivery_id bigint REFERENCES letter_delivery(id);
      CREATE INDEX outbox_letter_delivery ON outbox (letter_delivery_id) WHERE letter_delivery_id IS NOT NULL;

      -- Letters may carry legal weight: once published, what was sent cannot be edited or deleted,
      -- and delivery records are never deleted.
      CREATE FUNCTION letter_published_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.published_at IS NOT NULL THEN RAISE EXCEPTION 'published letters cannot be deleted' USING ERRCODE = 'insufficient_privilege'; END IF;
          RETURN OLD;
        END IF;
        IF OLD.published_at IS NOT NULL AND (NEW.title, NEW.body, NEW.audience, NEW.kind, NEW.project_id, NEW.published_at)
           IS DISTINCT FROM (OLD.title, OLD.body, OLD.audience, OLD.kind, OLD.project_id, OLD.published_at) THEN
          RAISE EXCEPTION 'published letters cannot be changed' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER letter_immutable BEFORE UPDATE OR DELETE ON letter
        FOR EACH ROW EXECUTE FUNCTION letter_published_immutable();
      CREATE TRIGGER letter_delivery_kept BEFORE DELETE ON letter_delivery
        FOR EACH ROW EXECUTE FUNCTION refuse_change();
    `)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER letter_delivery_kept ON letter_delivery;
      DROP TRIGGER letter_immutable ON letter;
      DROP FUNCTION letter_published_immutable();
      DROP INDEX outbox_letter_delivery;
      ALTER TABLE outbox DROP COLUMN letter_delivery_id;
      DROP INDEX letter_delivery_status;
      ALTER TABLE letter_delivery DROP COLUMN channel, DROP COLUMN response_at;
      DROP INDEX service_case_ambassador_list, service_case_status_list, service_case_list, service_case_contractor;
      ALTER TABLE service_case DROP COLUMN contractor_id;
      DROP TABLE contractor, staff_token;
    `)
  }
}
