import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * The customer file (一户一档), the message pipeline (inbox, conversations, outbox), timers, cases with an
 * append-only history, surveys, letters with per-recipient delivery records, and the audit log.
 * Enumerations are text with CHECK constraints so that reports read plainly in SQL.
 */
export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000'

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE project (
        id serial PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        city text NOT NULL DEFAULT '',
        branch text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE building (
        id serial PRIMARY KEY,
        project_id int NOT NULL REFERENCES project(id),
        name text NOT NULL,
        UNIQUE (project_id, name)
      );
      CREATE TABLE unit (
        id serial PRIMARY KEY,
        building_id int NOT NULL REFERENCES building(id),
        room_no text NOT NULL,
        delivered_on date,
        UNIQUE (building_id, room_no)
      );
      CREATE TABLE household (
        id serial PRIMARY KEY,
        code text NOT NULL UNIQUE,
        stage text NOT NULL DEFAULT '准业主' CHECK (stage IN ('准业主', '磨合期', '稳定期', '老业主')),
        customer_class text NOT NULL DEFAULT '业主' CHECK (customer_class IN ('业主', '意向客户', '潜在客户')),
        purchased_on date,
        profile jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE household_unit (
        household_id int NOT NULL REFERENCES household(id),
        unit_id int NOT NULL REFERENCES unit(id),
        PRIMARY KEY (household_id, unit_id)
      );
      CREATE INDEX household_unit_unit ON household_unit (unit_id);
      CREATE TABLE owner (
        id serial PRIMARY KEY,
        household_id int NOT NULL REFERENCES household(id),
        name text NOT NULL,
        phone text NOT NULL CHECK (phone ~ '^[0-9+\\-]{5,20}$'),
        relation text NOT NULL DEFAULT '本人',
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (household_id, phone)
      );
      CREATE INDEX owner_phone ON owner (phone);
      CREATE TABLE channel_identity (
        id serial PRIMARY KEY,
        channel text NOT NULL,
        external_id text NOT NULL,
        owner_id int NOT NULL REFERENCES owner(id),
        bound_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (channel, external_id)
      );
      CREATE INDEX channel_identity_owner ON channel_identity (owner_id);

      CREATE TABLE ambassador (
        id serial PRIMARY KEY,
        name text NOT NULL,
        wecom_user_id text UNIQUE,
        phone text NOT NULL DEFAULT '',
        project_id int REFERENCES project(id),
        role text NOT NULL DEFAULT 'ambassador' CHECK (role IN ('ambassador', 'supervisor', 'branch_head', 'group_centre')),
        supervisor_id int REFERENCES ambassador(id),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      -- Assignment history: at most one open row per household (the current ambassador).
      CREATE TABLE ambassador_assignment (
        id serial PRIMARY KEY,
        household_id int NOT NULL REFERENCES household(id),
        ambassador_id int NOT NULL REFERENCES ambassador(id),
        assigned_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        reason text NOT NULL DEFAULT ''
      );
      CREATE UNIQUE INDEX ambassador_assignment_current ON ambassador_assignment (household_id) WHERE ended_at IS NULL;
      CREATE INDEX ambassador_assignment_ambassador ON ambassador_assignment (ambassador_id) WHERE ended_at IS NULL;

      CREATE SEQUENCE case_no_seq;
      CREATE TABLE service_case (
        id serial PRIMARY KEY,
        case_no text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('complaint', 'repair', 'alert')),
        category text NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'in_progress', 'waiting_owner', 'resolved', 'closed', 'reopened')),
        project_id int NOT NULL REFERENCES project(id),
        household_id int REFERENCES household(id),
        owner_id int REFERENCES owner(id),
        unit_id int REFERENCES unit(id),
        public_area boolean NOT NULL DEFAULT false,
        ambassador_id int REFERENCES ambassador(id),
        intake_channel text NOT NULL,
        description text NOT NULL,
        attachments jsonb NOT NULL DEFAULT '[]',
        details jsonb NOT NULL DEFAULT '{}',
        escalation_level smallint NOT NULL DEFAULT 0,
        reply_due_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz
      );
      CREATE INDEX service_case_open_by_ambassador ON service_case (ambassador_id, reply_due_at) WHERE status NOT IN ('resolved', 'closed');
      CREATE INDEX service_case_project_time ON service_case (project_id, created_at DESC);
      CREATE INDEX service_case_owner ON service_case (owner_id, created_at DESC);
      CREATE INDEX service_case_household ON service_case (household_id, created_at DESC);

      -- The case history is append-only: a trigger refuses updates and deletes.
      CREATE TABLE case_event (
        id bigserial PRIMARY KEY,
        case_id int NOT NULL REFERENCES service_case(id),
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        kind text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX case_event_case ON case_event (case_id, id);

      CREATE TABLE conversation (
        id serial PRIMARY KEY,
        channel text NOT NULL,
        external_id text NOT NULL,
        owner_id int REFERENCES owner(id),
        dialog jsonb,
        dialog_expires_at timestamptz,
        handed_off_at timestamptz,
        last_inbound_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (channel, external_id)
      );
      CREATE INDEX conversation_dialog_expiry ON conversation (dialog_expires_at) WHERE dialog IS NOT NULL;

      -- Inbox: a message is accepted once its row commits; the unique key is the dedupe.
      CREATE TABLE inbound_message (
        id bigserial PRIMARY KEY,
        channel text NOT NULL,
        message_id text NOT NULL,
        conversation_id int NOT NULL REFERENCES conversation(id),
        text text, -- null for media the bot cannot read
        received_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
        processed_at timestamptz,
        error text,
        UNIQUE (channel, message_id)
      );
      CREATE INDEX inbound_message_pending ON inbound_message (conversation_id, id) WHERE status = 'pending';

      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        channel text NOT NULL,
        recipient text NOT NULL,
        conversation_id int REFERENCES conversation(id),
        inbound_id bigint REFERENCES inbound_message(id),
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'held', 'dead')),
        hold_reason text,
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      );
      CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status IN ('pending', 'sending');
      CREATE INDEX outbox_recipient_unsent ON outbox (channel, recipient, id) WHERE status IN ('pending', 'sending', 'held');

      -- Durable timers: node-cron only wakes the sweep that claims due rows with SKIP LOCKED.
      CREATE TABLE timer (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        subject_key text NOT NULL,
        due_at timestamptz NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fired', 'cancelled')),
        attempts int NOT NULL DEFAULT 0,
        fired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX timer_pending_key ON timer (kind, subject_key) WHERE status = 'pending';
      CREATE INDEX timer_due ON timer (due_at) WHERE status = 'pending';

      CREATE TABLE repair_slot (
        id serial PRIMARY KEY,
        project_id int NOT NULL REFERENCES project(id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        capacity int NOT NULL CHECK (capacity >= 0),
        booked int NOT NULL DEFAULT 0,
        CHECK (booked >= 0 AND booked <= capacity),
        CHECK (starts_at < ends_at),
        UNIQUE (project_id, starts_at)
      );

      CREATE TABLE survey (
        id serial PRIMARY KEY,
        case_id int NOT NULL REFERENCES service_case(id),
        round smallint NOT NULL CHECK (round IN (1, 2)),
        owner_id int REFERENCES owner(id),
        sent_at timestamptz,
        answered_at timestamptz,
        score smallint CHECK (score BETWEEN 1 AND 5),
        comment text,
        UNIQUE (case_id, round)
      );

      CREATE TABLE letter (
        id serial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('progress', 'design_change', 'move_in')),
        project_id int NOT NULL REFERENCES project(id),
        title text NOT NULL,
        body text NOT NULL,
        audience jsonb NOT NULL DEFAULT '{}',
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      );
      CREATE INDEX letter_project ON letter (project_id, published_at DESC);
      CREATE TABLE letter_delivery (
        id bigserial PRIMARY KEY,
        letter_id int NOT NULL REFERENCES letter(id),
        owner_id int NOT NULL REFERENCES owner(id),
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'held', 'delivered', 'read', 'failed')),
        hold_reason text,
        queued_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        read_at timestamptz,
        response text,
        UNIQUE (letter_id, owner_id)
      );
      CREATE INDEX letter_delivery_owner ON letter_delivery (owner_id);

      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id, at);

      CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER case_event_append_only BEFORE UPDATE OR DELETE ON case_event
        FOR EACH ROW EXECUTE FUNCTION refuse_change();
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION refuse_change();
    `)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE audit_log, letter_delivery, letter, survey, repair_slot, timer, outbox, inbound_message,
        conversation, case_event, service_case, ambassador_assignment, ambassador, channel_identity, owner,
        household_unit, household, unit, building, project;
      DROP SEQUENCE case_no_seq;
      DROP FUNCTION refuse_change();
    `)
  }
}
