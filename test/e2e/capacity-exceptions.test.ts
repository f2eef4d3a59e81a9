import type { RunningApp } from '../../src/app'
import { chineseWorkdayCalendar } from '../../src/domain/chinese-calendar'
import { shanghaiClock, shanghaiInstant } from '../../src/domain/working-time'
import { adminApi, startTestApp } from '../support/app'
import { testClock } from '../support/clock'
import { createTestDatabase, type TestDatabase } from '../support/db'

/**
 * Capacity exceptions: a day the repair team is off, or works more or at other hours, or on a weekend —
 * set through the API, applied at once to days already open, bookings kept and counted.
 */
const ADMIN = 'capacity-admin-token-0123456789'
let db: TestDatabase
let app: RunningApp
let api: ReturnType<typeof adminApi>
let project: number

beforeAll(async () => {
  db = await createTestDatabase()
  app = await startTestApp(db, { ADMIN_TOKEN: ADMIN })
  api = adminApi(app, ADMIN)
  project = (await db.dataSource.query(`SELECT id FROM project WHERE code = 'CUIHU'`))[0].id
})
afterAll(async () => {
  await app.shutdown()
  await db.drop()
})

/** The n-th day after the business clock's today, Shanghai. */
const dayAfter = (n: number) =>
  shanghaiClock(shanghaiInstant(shanghaiClock(testClock()).ymd, 12 * 60 + n * 24 * 60)).ymd
const slotsOn = (ymd: string) =>
  db.dataSource.query(
    `SELECT to_char(starts_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI') AS at, capacity, booked FROM repair_slot
      WHERE project_id = $1 AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at`,
    [project, shanghaiInstant(ymd, 0), shanghaiInstant(ymd, 24 * 60)],
  )

it('closes a day for the team, keeps its bookings, opens a weekend, and returns a day to the template', async () => {
  const template = {
    windows: [
      { start: '09:00', end: '12:00', capacity: 2 },
      { start: '14:00', end: '17:00', capacity: 2 },
    ],
    daysAhead: 14,
  }
  expect((await api(`/projects/${project}/repair-capacity`, 'PUT', template)).status).toBe(200)
  let workday = 1
  while (!chineseWorkdayCalendar.isWorkday(dayAfter(workday))) workday += 1
  const day = dayAfter(workday)
  // One visit is already booked that morning.
  await db.dataSource.query(`UPDATE repair_slot SET booked = 1 WHERE project_id = $1 AND starts_at = $2`, [
    project,
    shanghaiInstant(day, 9 * 60),
  ])

  const off = await api(`/projects/${project}/repair-capacity/days/${day}`, 'PUT', { windows: [] })
  expect(off).toEqual({ status: 200, json: { date: day, strandedBookings: 1 } })
  // Nothing more can be booked that day; the booking stays for staff to move.
  expect(await slotsOn(day)).toEqual([
    { at: '09:00', capacity: 1, booked: 1 },
    { at: '14:00', capacity: 0, booked: 0 },
  ])

  // Past the demo's first week of slots (which it opens on every day), within the template's 14 days.
  let weekend = 8
  while (chineseWorkdayCalendar.isWorkday(dayAfter(weekend))) weekend += 1
  const saturday = dayAfter(weekend)
  expect(await slotsOn(saturday)).toEqual([])
  const worked = await api(`/projects/${project}/repair-capacity/days/${saturday}`, 'PUT', {
    windows: [{ start: '10:00', end: '15:00', capacity: 3 }],
  })
  expect(worked.status).toBe(200)
  expect(await slotsOn(saturday)).toEqual([{ at: '10:00', capacity: 3, booked: 0 }])

  // Back to the template: the morning keeps its booking under the template's capacity.
  expect((await api(`/projects/${project}/repair-capacity/days/${day}`, 'DELETE')).status).toBe(200)
  expect(await slotsOn(day)).toEqual([
    { at: '09:00', capacity: 2, booked: 1 },
    { at: '14:00', capacity: 2, booked: 0 },
  ])
  const [audited] = await db.dataSource.query(
    `SELECT count(*)::int AS n FROM audit_log WHERE action = 'project.capacity_exception'`,
  )
  expect(audited.n).toBe(3)
})

it('refuses a day in the past, overlapping windows and a date that does not exist', async () => {
  expect(
    (
      await api(`/projects/${project}/repair-capacity/days/${shanghaiClock(testClock()).ymd}`, 'PUT', {
        windows: [],
      })
    ).status,
  ).toBe(422)
  const overlapping = await api(`/projects/${project}/repair-capacity/days/${dayAfter(3)}`, 'PUT', {
    windows: [
      { start: '09:00', end: '12:00', capacity: 1 },
      { start: '11:00', end: '13:00', capacity: 1 },
    ],
  })
  expect(overlapping.status).toBe(422)
  expect(
    (await api(`/projects/${project}/repair-capacity/days/2027-02-30`, 'PUT', { windows: [] })).status,
  ).toBe(400)
})
