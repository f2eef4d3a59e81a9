import type { MigrationInterface, QueryRunner } from 'typeorm'

/** Days staff declare working or not (a typhoon closure, a local holiday, a published arrangement). */
export class CalendarDays1765000000000 implements MigrationInterface {
  name = 'CalendarDays1765000000000'

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_day (
        date date PRIMARY KEY,
        working boolean NOT NULL,
        name text NOT NULL,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL
      )`)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_day`)
  }
}
