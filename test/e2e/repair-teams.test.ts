import type { RunningApp } from '../../src/app'
import { chineseWorkdayCalendar } from '../../src/domain/chinese-calendar'
import { isoWeekday } from '../../src/domain/repair-capacity'
import { phoneLookupKey } from '../../src/domain/phone-vault'
import { adminApi, startTestApp } from '../support/app'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { botInstance, say, silentLogger } from '../support/harness'
import { TimerSweep } from '../../src/db/timer-sweep'
import { repairSlotTimerHandlers } from '../../src/services/organisation/repair-capacity'
import { testClock } from '../support/clock'

/**
 * Repair teams with their own capacity (some weekdays only), the owner's one list of visit windows over
 * all teams, and a technician sent to a booked repair (派工).
 */
const ADMIN = 'repair-teams-admin-token-01234567'
let db: TestDatabase
let app: RunningApp
let api: ReturnType<typeof adminApi>
let project: number

beforeAll(async () => {
  db = await createTestDatabase()
  app = await startTestApp(db, { ADMIN_TOKEN: ADMIN })
  api = adminApi(app, ADMIN)
  project = (await db.dataSource.query(`SELECT id FROM project WHERE code = 'CUIHU'`))[0].id
  // Only the teams' slots from here on: the demo's week of project slots would hide theirs.
  await db.dataSource.query(`DELETE FROM repair_slot`)
  await db.dataSource.query(
    `INSERT INTO channel_identity (channel, external_id, owner_id) SELECT 'test', 'wx-teams', id FROM owner WHERE phone_key = $1`,
    [phoneLookupKey('13800000001')],
  )
})
afterAll(async () => {
  await app.shutdown()
  await db.drop()
})

const teamSlots = (teamId: number) =>
  db.dataSource.query(
    `SELECT to_char(starts_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS at, capacity FROM repair_slot
      WHERE team_id = $1 ORDER BY starts_at`,
    [teamId],
  )

it('opens each team’s windows on its weekdays, offers owners each window once, and dispatches a technician', async () => {
  const plumbing = await api(`/projects/${project}/repair-teams`, 'POST', { name: '水电组' })
  const carpentry = await api(`/projects/${project}/repair-teams`, 'POST', { name: '门窗组' })
  expect([plumbing.status, carpentry.status]).toEqual([201, 201])
  expect((await api(`/projects/${project}/repair-teams`, 'POST', { name: '水电组' })).status).toBe(409)
  const technician = await api(`/repair-teams/${plumbing.json.id}/technicians`, 'POST', {
    name: '刘师傅',
    phone: '13900000066',
  })
  expect(technician.status).toBe(201)

  // 水电组 visits every working morning; 门窗组 only on Mondays, Wednesdays and Fridays.
  const everyDay = await api(`/repair-teams/${plumbing.json.id}/repair-capacity`, 'PUT', {
    windows: [{ start: '09:00', end: '12:00', capacity: 1 }],
    daysAhead: 14,
  })
  const someDays = await api(`/repair-teams/${carpentry.json.id}/repair-capacity`, 'PUT', {
    windows: [{ start: '09:00', end: '12:00', capacity: 2, weekdays: [1, 3, 5] }],
    daysAhead: 14,
  })
  expect([everyDay.status, someDays.status]).toEqual([200, 200])
  const plumbingDays = (await teamSlots(plumbing.json.id)).map((s: { at: string }) => s.at.slice(0, 10))
  const carpentryDays = (await teamSlots(carpentry.json.id)).map((s: { at: string }) => s.at.slice(0, 10))
  expect(plumbingDays.length).toBeGreaterThan(0)
  expect(plumbingDays.every((day: string) => chineseWorkdayCalendar.isWorkday(day))).toBe(true)
  expect(carpentryDays.length).toBeGreaterThan(0)
  expect(carpentryDays.every((day: string) => [1, 3, 5].includes(isoWeekday(day)))).toBe(true)
  expect(carpentryDays.every((day: string) => plumbingDays.includes(day))).toBe(true)

  // Both teams open some mornings; the owner sees each morning once.
  const bot = botInstance(db.dataSource)
  const offered = await say(bot, 'wx-teams', '报修', '2', '1', '厨房水龙头一直滴水', '跳过')
  const mornings = [...offered.matchAll(/\d+月\d+日（周.）09:00-12:00/g)].map((m) => m[0])
  expect(mornings.length).toBeGreaterThan(0)
  expect(new Set(mornings).size).toBe(mornings.length)
  const booked = await say(bot, 'wx-teams', '1', '是')
  const caseNo = /工单号 (BX\d{8}-\d{4})/.exec(booked)?.[1] as string
  expect(caseNo).toBeDefined()

  const dispatched = await api(`/cases/${caseNo}/dispatch`, 'POST', { technicianId: technician.json.id })
  expect(dispatched).toMatchObject({
    status: 200,
    json: { technician: { name: '刘师傅', phone: '13900000066', team: '水电组' } },
  })
  const [c] = await db.dataSource.query(
    `SELECT status, technician_id, reply_met_at FROM service_case WHERE case_no = $1`,
    [caseNo],
  )
  expect(c).toMatchObject({ status: 'accepted', technician_id: technician.json.id })
  expect(c.reply_met_at).not.toBeNull()
  await bot.outbox.settle()
  expect(bot.channel.textsTo('wx-teams').at(-1)).toBe(
    `您的报修工单 ${caseNo} 已派工：维修师傅刘师傅（电话 13900000066）将按预约时间上门。`,
  )
  const history = await api(`/cases/${caseNo}`, 'GET')
  expect(JSON.stringify(history.json)).toMatch(/technician_dispatched/)
})

it('refuses a technician of no team of the case’s project, and a case that is no open repair', async () => {
  await db.dataSource.query(
    `INSERT INTO branch (name) VALUES ('宁波分公司') ON CONFLICT DO NOTHING;
     INSERT INTO project (code, name, branch) VALUES ('NB', '东钱湖', '宁波分公司')`,
  )
  const [otherProject] = await db.dataSource.query(`SELECT id FROM project WHERE code = 'NB'`)
  const team = await api(`/projects/${otherProject.id}/repair-teams`, 'POST', { name: '宁波维修组' })
  const stranger = await api(`/repair-teams/${team.json.id}/technicians`, 'POST', { name: '陈师傅' })
  const [repair] = await db.dataSource.query(
    `SELECT case_no FROM service_case WHERE kind = 'repair' ORDER BY id DESC LIMIT 1`,
  )
  const refused = await api(`/cases/${repair.case_no}/dispatch`, 'POST', { technicianId: stranger.json.id })
  expect(refused).toMatchObject({ status: 422, json: { code: 'NO_SUCH_TECHNICIAN' } })

  const bot = botInstance(db.dataSource)
  const filed = await say(bot, 'wx-teams', '投诉', '1', '1', '楼道灯坏了一个月没人修', '跳过', '是')
  const complaint = /工单号 (TS\d{8}-\d{4})/.exec(filed)?.[1] as string
  const [local] = await db.dataSource.query(
    `SELECT x.id FROM technician x JOIN repair_team t ON t.id = x.team_id WHERE t.project_id = $1 LIMIT 1`,
    [project],
  )
  const notRepair = await api(`/cases/${complaint}/dispatch`, 'POST', { technicianId: local.id })
  expect(notRepair).toMatchObject({ status: 409, json: { code: 'NOT_AN_OPEN_REPAIR' } })
})

it('lets the ambassador dispatch by chat: 派工 with the case number and the technician’s name', async () => {
  const bot = botInstance(db.dataSource)
  const booked = await say(bot, 'wx-teams', '报修', '2', '1', '卫生间插座没电了', '跳过', '1', '是')
  const caseNo = /工单号 (BX\d{8}-\d{4})/.exec(booked)?.[1] as string
  /** The staff member's command on the WeCom app channel, and the bot's answer as queued for them. */
  const staffSays = async (text: string) => {
    await bot.pipeline.receive({
      channel: 'wecom-app',
      messageId: `teams-${text}`,
      senderId: 'lina',
      text,
      receivedAt: new Date(),
    })
    const [answer] = await db.dataSource.query(
      `SELECT payload FROM outbox WHERE channel = 'wecom-app' AND recipient = 'lina' ORDER BY id DESC LIMIT 1`,
    )
    return answer.payload.text as string
  }
  expect(await staffSays(`派工 ${caseNo} 王师傅`)).toMatch(/维修组里没有这位师傅/)
  expect(await staffSays(`派工 ${caseNo} 刘师傅`)).toBe(`已派工 ${caseNo}：刘师傅，业主已收到通知。`)
  await bot.outbox.settle()
  expect(bot.channel.textsTo('wx-teams').at(-1)).toMatch(/维修师傅刘师傅（电话 13900000066）/)
  const [c] = await db.dataSource.query(`SELECT status FROM service_case WHERE case_no = $1`, [caseNo])
  expect(c.status).toBe('accepted')
})

it('renames and retires teams, and stops dispatches to a technician who left, keeping their phone', async () => {
  const teams = (await api(`/projects/${project}/repair-teams`, 'GET')).json.items
  const plumbing = teams.find((t: { name: string }) => t.name === '水电组')
  const liu = plumbing.technicians.find((x: { name: string }) => x.name === '刘师傅')
  expect((await api(`/repair-teams/${plumbing.id}`, 'PATCH', { name: '门窗组' })).status).toBe(409)
  expect((await api(`/repair-teams/${plumbing.id}`, 'PATCH', { name: '水电维修组' })).status).toBe(200)

  expect((await api(`/technicians/${liu.id}`, 'PATCH', { active: false })).status).toBe(200)
  expect((await api('/technicians/999999', 'PATCH', { active: false })).status).toBe(404)
  const after = (await api(`/projects/${project}/repair-teams`, 'GET')).json.items.find(
    (t: { id: number }) => t.id === plumbing.id,
  )
  expect(after).toMatchObject({
    name: '水电维修组',
    technicians: [{ name: '刘师傅', phone: '13900000066', active: false }],
  })
  const [repair] = await db.dataSource.query(
    `SELECT case_no FROM service_case WHERE kind = 'repair' AND status NOT IN ('resolved', 'closed')
      ORDER BY id DESC LIMIT 1`,
  )
  const refused = await api(`/cases/${repair.case_no}/dispatch`, 'POST', { technicianId: liu.id })
  expect(refused).toMatchObject({ status: 422, json: { code: 'NO_SUCH_TECHNICIAN' } })

  // A retired team opens no more slots at night; the other team goes on.
  expect((await api(`/repair-teams/${plumbing.id}`, 'PATCH', { active: false })).status).toBe(200)
  const carpentry = teams.find((t: { name: string }) => t.name === '门窗组')
  const counts = async () => [(await teamSlots(plumbing.id)).length, (await teamSlots(carpentry.id)).length]
  const [plumbingBefore, carpentryBefore] = await counts()
  await db.dataSource.query(`DELETE FROM timer WHERE kind = 'repair.slots'`)
  await db.dataSource.query(
    `INSERT INTO timer (kind, subject_key, due_at) VALUES ('repair.slots', 'all-projects', $1)`,
    [testClock()],
  )
  const twoWeeksOn = new Date(testClock().getTime() + 14 * 86_400_000)
  await new TimerSweep(
    db.dataSource,
    repairSlotTimerHandlers(chineseWorkdayCalendar),
    silentLogger,
    () => twoWeeksOn,
  ).sweep()
  const [plumbingAfter, carpentryAfter] = await counts()
  expect(plumbingAfter).toBe(plumbingBefore)
  expect(carpentryAfter).toBeGreaterThan(carpentryBefore)
})
