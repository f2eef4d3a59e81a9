import { phoneLookupKey as phoneKey } from '../../src/domain/phone-vault'
import type { RunningApp } from '../../src/app'
import { startTestApp } from '../support/app'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { botInstance, say } from '../support/harness'

/** The working-day calendar as staff see and correct it, and what a correction does to open cases. */
const ADMIN = 'calendar-admin-token-0123456789'
let db: TestDatabase
let app: RunningApp

beforeAll(async () => {
  db = await createTestDatabase()
  app = await startTestApp(db, { ADMIN_TOKEN: ADMIN })
  await db.dataSource.query(
    `INSERT INTO channel_identity (channel, external_id, owner_id) SELECT 'test', 'wx-zhang', id FROM owner WHERE phone_key = '${phoneKey('13800000001')}'`,
  )
})
afterAll(async () => {
  await app.shutdown()
  await db.drop()
})

async function api(path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${app.adminUrl}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, json: (await response.json()) as any }
}

describe('the working-day calendar through the API', () => {
  it('lists 2027 from the law while the official arrangement is unknown', async () => {
    const { status, json } = await api('/calendar/2027')
    expect(status).toBe(200)
    expect(json.official).toBe(false)
    expect(json.days).toEqual(
      expect.arrayContaining([
        { date: '2027-01-01', working: false, name: '元旦', source: 'law' },
        { date: '2027-02-05', working: false, name: '春节（除夕）', source: 'law' },
        { date: '2027-10-04', working: false, name: '国庆节补假', source: 'law' },
      ]),
    )
    const official = await api('/calendar/2026')
    expect(official.json.official).toBe(true)
    expect(official.json.days).toEqual(
      expect.arrayContaining([
        { date: '2026-10-10', working: true, name: '国庆节调休上班', source: 'official' },
      ]),
    )
  })

  it('moves an open complaint’s deadline and reminder when staff close the day it is due, and back', async () => {
    const bot = botInstance(db.dataSource)
    const reply = await say(bot, 'wx-zhang', '投诉', '1', '1', '入户门变形，关不上', '跳过', '是')
    const caseNo = /工单号 (TS\d{8}-\d{4})/.exec(reply)?.[1]
    const deadline = async () =>
      (
        await db.dataSource.query(
          `SELECT c.reply_due_at AS due,
                  (SELECT due_at FROM timer t WHERE t.subject_key = 'case:' || c.id AND t.kind = 'sla.breach' AND t.status = 'pending') AS breach
             FROM service_case c WHERE c.case_no = $1`,
          [caseNo],
        )
      )[0] as { due: Date; breach: Date }
    const before = await deadline()
    expect(before.breach).toEqual(before.due)
    // The last day the clock runs on (a deadline at 00:00 counts none of its own day).
    const dueDay = new Date(before.due.getTime() - 60_000 + 8 * 3600_000).toISOString().slice(0, 10)

    const closed = await api(`/calendar/${dueDay.slice(0, 4)}/days/${dueDay}`, {
      method: 'PUT',
      body: { working: false, name: '台风停工' },
    })
    expect(closed.status).toBe(200)
    expect(closed.json).toMatchObject({
      day: { date: dueDay, working: false, name: '台风停工', source: 'staff' },
      recountedCases: 1,
    })
    const moved = await deadline()
    expect(moved.due.getTime()).toBeGreaterThan(before.due.getTime())
    expect(moved.breach).toEqual(moved.due)
    const [event] = await db.dataSource.query(
      `SELECT e.data FROM case_event e JOIN service_case c ON c.id = e.case_id
        WHERE c.case_no = $1 AND e.kind = 'sla_recounted'`,
      [caseNo],
    )
    expect(event.data.calendarDay).toBe(dueDay)
    expect((await api(`/calendar/${dueDay.slice(0, 4)}`)).json.days).toEqual(
      expect.arrayContaining([{ date: dueDay, working: false, name: '台风停工', source: 'staff' }]),
    )

    expect((await api(`/calendar/${dueDay.slice(0, 4)}/days/${dueDay}`, { method: 'DELETE' })).status).toBe(
      200,
    )
    const restored = await deadline()
    // Back on the same calendar, the clock owes the same time again (to the minute it was recounted at).
    expect(Math.abs(restored.due.getTime() - before.due.getTime())).toBeLessThan(60_000)
  })

  it('refuses dates that are not days of that year, and years out of range', async () => {
    expect(
      (await api('/calendar/2027/days/2027-02-30', { method: 'PUT', body: { working: true, name: 'x' } }))
        .status,
    ).toBe(400)
    expect(
      (await api('/calendar/2027/days/2028-01-03', { method: 'PUT', body: { working: true, name: 'x' } }))
        .status,
    ).toBe(400)
    expect((await api('/calendar/1899')).status).toBe(400)
  })
})
