import type { MigrationInterface, QueryRunner } from 'typeorm'

/** A project's (planned or actual) delivery date: when its buyers become owners; each unit keeps its own. */
export class ProjectDeliveryDate1766300000000 implements MigrationInterface {
  name = 'ProjectDeliveryDate1766300000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE project ADD COLUMN delivery_date date`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE project DROP COLUMN delivery_date`)
  }
}
