import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Repair teams (维修组) of a project, each with its technicians and its own capacity template; slots
 * belong to a team, or to the project (team_id null) where it plans one capacity for all. A repair case
 * records the technician sent.
 */
export class RepairTeams1766200000000 implements MigrationInterface {
  name = 'RepairTeams1766200000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE repair_team (
        id serial PRIMARY KEY,
        project_id int NOT NULL REFERENCES project(id),
        name text NOT NULL CHECK (name = btrim(name) AND name <> ''),
        repair_capacity jsonb,
        active boolean NOT NULL DEFAULT true,
        UNIQUE (project_id, name)
      );
      CREATE TABLE technician (
        id serial PRIMARY KEY,
        team_id int NOT NULL REFERENCES repair_team(id),
        name text NOT NULL CHECK (name = btrim(name) AND name <> ''),
        phone text NOT NULL DEFAULT '',
        active boolean NOT NULL DEFAULT true
      );
      CREATE INDEX technician_team ON technician (team_id);
      ALTER TABLE repair_slot ADD COLUMN team_id int REFERENCES repair_team(id);
      ALTER TABLE repair_slot DROP CONSTRAINT repair_slot_project_id_starts_at_key;
      CREATE UNIQUE INDEX repair_slot_start ON repair_slot (project_id, team_id, starts_at) NULLS NOT DISTINCT;
      ALTER TABLE service_case ADD COLUMN technician_id int REFERENCES technician(id)
    `)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE service_case DROP COLUMN technician_id;
      DROP INDEX repair_slot_start;
      ALTER TABLE repair_slot DROP COLUMN team_id;
      ALTER TABLE repair_slot ADD CONSTRAINT repair_slot_project_id_starts_at_key UNIQUE (project_id, starts_at);
      DROP TABLE technician, repair_team
    `)
  }
}
