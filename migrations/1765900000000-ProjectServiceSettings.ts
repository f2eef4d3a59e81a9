import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * A project's own service hours and SLA policies, set through the API; null and {} keep the deployment's
 * BUSINESS_HOURS and SLA_POLICIES.
 */
export class ProjectServiceSettings1765900000000 implements MigrationInterface {
  name = 'ProjectServiceSettings1765900000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE project
        ADD COLUMN service_hours text
          CHECK (service_hours ~ '^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$'),
        ADD COLUMN sla_policies jsonb NOT NULL DEFAULT '{}'::jsonb
          CHECK (jsonb_typeof(sla_policies) = 'object')
    `)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE project DROP COLUMN sla_policies, DROP COLUMN service_hours`)
  }
}
