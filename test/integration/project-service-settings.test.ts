import { editProject } from '../../src/services/organisation/organisation'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { botInstance, say, seedAndBind, type BotInstance } from '../support/harness'

/**
 * A project's own service hours and SLA policies, set through the organisation service, decide its cases'
 * clocks and what owners are told about staff being at their desks; other projects keep the defaults
 * (09:00–17:30, 24 working hours to reply). The clock is set by each test, on Monday 2026-11-23.
 */
const ZHANG = 'wx-zhang'
const shanghai = (local: string) => new Date(`${local}+08:00`)

let db: TestDatabase
let now: Date
let bot: BotInstance
let projectId: number
beforeAll(async () => {
  db = await createTestDatabase()
  await seedAndBind(db.dataSource, { [ZHANG]: '13800000001' })
  const rows = await db.dataSource.query(
    `SELECT DISTINCT b.project_id AS id FROM channel_identity ci JOIN owner o ON o.id = ci.owner_id
       JOIN household_unit hu ON hu.household_id = o.household_id JOIN unit u ON u.id = hu.unit_id
       JOIN building b ON b.id = u.building_id WHERE ci.external_id = $1`,
    [ZHANG],
  )
  projectId = rows[0].id
  expect(rows.length).toBe(1) // the owner's one project: the one whose settings the tests change
  await db.dataSource.query(
    `INSERT INTO repair_slot (project_id, starts_at, ends_at, capacity)
     VALUES ($1, $2, $3, 20)`,
    [projectId, shanghai('2026-11-25T09:00:00'), shanghai('2026-11-25T12:00:00')],
  )
})
afterAll(() => db.drop())
beforeEach(async () => {
  await db.dataSource.query(
    `UPDATE conversation SET dialog = NULL, dialog_expires_at = NULL, handed_off_at = NULL, handed_off_to = NULL`,
  )
  await setProject({ serviceHours: null, slaPolicies: {} })
  bot = botInstance(db.dataSource, { clock: () => now })
})

function setProject(change: Parameters<typeof editProject>[3]) {
  return db.dataSource.transaction((manager) =>
    editProject(manager, { kind: 'all' }, projectId, change, 'test', shanghai('2026-11-23T08:00:00')),
  )
}
const dueOf = async (caseNo: string): Promise<Date> =>
  (await db.dataSource.query(`SELECT reply_due_at FROM service_case WHERE case_no = $1`, [caseNo]))[0]
    .reply_due_at
async function bookRepair(): Promise<string> {
  const reply = await say(bot, ZHANG, '报修', '1', '1', '卧室窗户关不严，漏风', '跳过', '1', '是')
  return /工单号 (BX\d{8}-\d{4})/.exec(reply)?.[1] as string
}
async function fileComplaint(): Promise<string> {
  const reply = await say(bot, ZHANG, '投诉', '1', '1', '卫生间顶棚渗水，墙皮脱落', '跳过', '是')
  return /工单号 (TS\d{8}-\d{4})/.exec(reply)?.[1] as string
}

it('counts a repair booked at 22:00 in the project’s own desk hours: due at 22:10, not the next morning', async () => {
  now = shanghai('2026-11-23T22:00:00')
  expect(await dueOf(await bookRepair())).toEqual(shanghai('2026-11-24T09:10:00'))

  await setProject({ serviceHours: '08:00-22:30' })
  now = shanghai('2026-11-23T22:05:00')
  expect(await dueOf(await bookRepair())).toEqual(shanghai('2026-11-23T22:15:00'))
})

it('gives a complaint the reply time the project sets, and the default back when it is cleared', async () => {
  await setProject({ slaPolicies: { complaintReply: { mode: 'business', minutes: 120 } } })
  now = shanghai('2026-11-23T16:30:00')
  // Two desk hours: one before 17:30, one after 09:00 the next working day.
  expect(await dueOf(await fileComplaint())).toEqual(shanghai('2026-11-24T10:00:00'))

  await setProject({ slaPolicies: {} })
  expect(await dueOf(await fileComplaint())).toEqual(shanghai('2026-11-24T16:30:00'))
})

it('tells an owner who asks for a person at 20:00 that staff are at their desks when the project’s are', async () => {
  now = shanghai('2026-11-23T20:00:00')
  expect(await say(bot, ZHANG, '人工')).toMatch(/非工作时间.*11月24日（周二）09:00/)
  await say(bot, ZHANG, '菜单')

  await setProject({ serviceHours: '08:00-21:00' })
  const reply = await say(bot, ZHANG, '人工')
  expect(reply).toMatch(/已通知客户大使/)
  expect(reply).not.toMatch(/非工作时间/)
  // The pick-up check runs on the project's hours too: 30 desk minutes from 20:00.
  const [timer] = await db.dataSource.query(
    `SELECT due_at FROM timer WHERE kind = 'handoff.pickup' ORDER BY id DESC LIMIT 1`,
  )
  expect(timer.due_at).toEqual(shanghai('2026-11-23T20:30:00'))
})
