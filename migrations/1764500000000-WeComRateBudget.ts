import type { MigrationInterface, QueryRunner } from 'typeorm'

/** The shared token bucket of each WeCom API (per corp), so that all instances together keep its limits. */
export class WeComRateBudget1764500000000 implements MigrationInterface {
  name = 'WeComRateBudget1764500000000'

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE wecom_rate_budget (
        key text PRIMARY KEY, -- corp id and API path
        tokens double precision NOT NULL,
        refilled_at timestamptz NOT NULL DEFAULT now(),
        -- WeCom answered 45009: it refuses this API until then, and calling meanwhile only prolongs it
        blocked_until timestamptz
      )`)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE wecom_rate_budget`)
  }
}
