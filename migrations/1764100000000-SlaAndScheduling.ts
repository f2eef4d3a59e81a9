import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * The SLA clock of a case (its mode, and what was left when it paused), assignment rules by project and
 * building, and stored reports (the monthly complaint analysis).
 */
export class SlaAndScheduling1764100000000 implements MigrationInterface {
  name = 'SlaAndScheduling1764100000000'

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE service_case
        ADD COLUMN sla_mode text CHECK (sla_mode IN ('workday', 'business', 'calendar')),
        ADD COLUMN sla_paused_at timestamptz,
        ADD COLUMN sla_remaining_minutes int;
      CREATE INDEX service_case_alert_cluster ON service_case (project_id, category, created_at)
        WHERE kind = 'complaint';

      CREATE TABLE assignment_rule (
        id serial PRIMARY KEY,
        ambassador_id int NOT NULL REFERENCES ambassador(id),
        project_id int NOT NULL REFERENCES project(id),
        building_id int REFERENCES building(id),
        UNIQUE (ambassador_id, project_id, building_id)
      );
      CREATE INDEX assignment_rule_scope ON assignment_rule (project_id, building_id);

      CREATE TABLE report (
        id serial PRIMARY KEY,
        kind text NOT NULL,
        period text NOT NULL,
        data jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (kind, period)
      );
    `)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE report, assignment_rule;
      DROP INDEX service_case_alert_cluster;
      ALTER TABLE service_case DROP COLUMN sla_mode, DROP COLUMN sla_paused_at, DROP COLUMN sla_remaining_minutes;
    `)
  }
}
