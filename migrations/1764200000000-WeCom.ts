import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * WeCom state every instance must share: access tokens and JS-API tickets (one refresh for all), and the
 * 微信客服 sync cursor per kf account (one puller at a time).
 */
export class WeCom1764200000000 implements MigrationInterface {
  name = 'WeCom1764200000000'

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE wecom_credential (
        key text PRIMARY KEY,
        value text,
        expires_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE kf_cursor (
        open_kfid text PRIMARY KEY,
        cursor text,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE kf_cursor, wecom_credential`)
  }
}
