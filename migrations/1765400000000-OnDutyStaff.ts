import type { MigrationInterface, QueryRunner } from 'typeorm'

/** Who takes a project's emergency repairs (gas, water, power) at any hour. */
export class OnDutyStaff1765400000000 implements MigrationInterface {
  name = 'OnDutyStaff1765400000000'

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE project ADD COLUMN on_duty_staff_id int REFERENCES ambassador(id)`)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE project DROP COLUMN on_duty_staff_id`)
  }
}
