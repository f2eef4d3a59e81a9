import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * When a case's deadline was met (the substantive reply, or a repair's dispatch). Before, meeting a
 * deadline only cancelled its timers, so a case answered in three seconds later showed as overdue.
 * Existing cases take the time of their first reply, dispatch or closure from their history.
 */
export class ReplyMetAt1764900000000 implements MigrationInterface {
  name = 'ReplyMetAt1764900000000'

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE service_case ADD COLUMN reply_met_at timestamptz`)
    await q.query(`
      UPDATE service_case c SET reply_met_at = met.at
        FROM (SELECT e.case_id, min(e.at) AS at FROM case_event e JOIN service_case s ON s.id = e.case_id
               WHERE e.kind IN ('staff_reply', 'resolved', 'closed', 'cancelled')
                  OR (e.kind = 'accepted' AND s.kind = 'repair')
               GROUP BY e.case_id) met
       WHERE met.case_id = c.id`)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE service_case DROP COLUMN reply_met_at`)
  }
}
