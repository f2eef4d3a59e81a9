import type { MigrationInterface, QueryRunner } from 'typeorm'

/** A repair case holds the visit slot it booked, so that rescheduling and cancelling release it. */
export class RepairBookings1763900000000 implements MigrationInterface {
  name = 'RepairBookings1763900000000'

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE service_case ADD COLUMN repair_slot_id int REFERENCES repair_slot(id);
      CREATE INDEX service_case_repair_slot ON service_case (repair_slot_id) WHERE repair_slot_id IS NOT NULL;
      CREATE INDEX repair_slot_open ON repair_slot (project_id, starts_at) WHERE booked < capacity;
      CREATE INDEX survey_unanswered ON survey (case_id) WHERE answered_at IS NULL;
    `)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX survey_unanswered;
      DROP INDEX repair_slot_open;
      ALTER TABLE service_case DROP COLUMN repair_slot_id;
    `)
  }
}
