import type { EntityManager } from 'typeorm'
import type { StaffCalendarEntry } from '../domain/chinese-calendar'

type Db = Pick<EntityManager, 'query'>

/** Every staff calendar entry, by date (YYYY-MM-DD). */
export async function loadStaffCalendar(db: Db): Promise<Map<string, StaffCalendarEntry>> {
  const rows: { date: string; working: boolean; name: string }[] = await db.query(
    `SELECT date::text AS date, working, name FROM calendar_day ORDER BY date`,
  )
  return new Map(rows.map((row) => [row.date, { working: row.working, name: row.name }]))
}

export async function saveStaffCalendarDay(
  db: Db,
  date: string,
  entry: StaffCalendarEntry | null,
  actor: string,
  at: Date,
): Promise<void> {
  if (entry === null) {
    await db.query(`DELETE FROM calendar_day WHERE date = $1`, [date])
    return
  }
  await db.query(
    `INSERT INTO calendar_day (date, working, name, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (date) DO UPDATE SET working = EXCLUDED.working, name = EXCLUDED.name,
                                      updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
    [date, entry.working, entry.name, actor, at],
  )
}

/** One calendar change at a time: each recount must see the calendar the previous one left. */
export async function lockCalendar(db: Db): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('anju.calendar'))`)
}
