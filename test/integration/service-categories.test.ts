import { CaseClock } from '../../src/services/cases/case-clock'
import { addCategory, editCategory } from '../../src/services/organisation/categories'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { botInstance, caseClock, say, seedAndBind, type BotInstance } from '../support/harness'

/**
 * The developer's own categories, as owners meet them in chat: the list they choose from, the warranty a
 * repair gets, an emergency category that calls the on-duty staff, and major works' second callback.
 * The clock is Monday 2026-11-23 10:00 in Shanghai; 张三's units were delivered on 2025-06-30.
 */
const ZHANG = 'wx-zhang'
const now = new Date('2026-11-23T10:00:00+08:00')

let db: TestDatabase
let bot: BotInstance
beforeAll(async () => {
  db = await createTestDatabase()
  await seedAndBind(db.dataSource, { [ZHANG]: '13800000001' })
  await db.dataSource.query(
    `INSERT INTO repair_slot (project_id, starts_at, ends_at, capacity)
     SELECT id, $1::timestamptz + interval '2 days', $1::timestamptz + interval '2 days 2 hours', 9 FROM project`,
    [now],
  )
})
afterAll(() => db.drop())
beforeEach(async () => {
  await db.dataSource.query(`UPDATE conversation SET dialog = NULL, dialog_expires_at = NULL`)
  bot = botInstance(db.dataSource, { clock: () => now })
})

const asGroup = <T>(change: (manager: Parameters<typeof addCategory>[0]) => Promise<T>) =>
  db.dataSource.transaction((manager) => change(manager))
const categoryId = async (kind: string, name: string): Promise<number> =>
  (
    await db.dataSource.query(`SELECT id FROM service_category WHERE kind = $1 AND name = $2`, [kind, name])
  )[0].id

it('offers owners the developer’s list: a new category first, a retired one gone', async () => {
  const added = await asGroup((m) =>
    addCategory(
      m,
      { kind: 'all' },
      {
        kind: 'complaint',
        name: '噪音扰民',
        warrantyMonths: null,
        majorWorks: false,
        emergency: false,
        position: 5,
      },
      'test',
      now,
    ),
  )
  expect(added).toEqual({ id: expect.any(Number) })
  const retired = await categoryId('complaint', '设计变更')
  await asGroup((m) => editCategory(m, { kind: 'all' }, retired, { active: false }, 'test', now))

  const menu = await say(bot, ZHANG, '投诉')
  expect(menu).toMatch(/请选择投诉类别：\n1\. 噪音扰民\n2\. 工程质量/)
  expect(menu).not.toMatch(/设计变更/)
  await say(bot, ZHANG, '取消')
})

it('gives a repair the warranty the developer promises for its category, never less than the law', async () => {
  const other = await categoryId('repair', '其他')
  const windows = await categoryId('repair', '门窗五金')
  expect(
    await asGroup((m) => editCategory(m, { kind: 'all' }, windows, { warrantyMonths: 12 }, 'test', now)),
  ).toEqual({ error: 'INVALID_CATEGORY', message: 'the law requires at least 24 months for this category' })
  // 其他 has no statutory period: paid, until the developer promises one.
  const before = await say(bot, ZHANG, '报修', '6', '1', '客厅吊灯松动了，有点晃', '跳过', '1')
  expect(before).toMatch(/有偿维修/)
  await say(bot, ZHANG, '取消')
  await asGroup((m) => editCategory(m, { kind: 'all' }, other, { warrantyMonths: 36 }, 'test', now))
  const after = await say(bot, ZHANG, '报修', '6', '1', '客厅吊灯松动了，有点晃', '跳过', '1')
  expect(after).toMatch(/在保修期内（至 2028-06-30）/)
  await say(bot, ZHANG, '取消')
})

it('takes a repair in a category the developer marks as an emergency at once, with no slot', async () => {
  await asGroup((m) =>
    addCategory(
      m,
      { kind: 'all' },
      {
        kind: 'repair',
        name: '电梯困人',
        warrantyMonths: null,
        majorWorks: false,
        emergency: true,
        position: 1,
      },
      'test',
      now,
    ),
  )
  const reply = await say(bot, ZHANG, '报修', '1', '1', '电梯停在十二楼不动了，家里老人在里面')
  expect(reply).toMatch(/已按紧急报修（紧急情况）登记，工单号 BX\d{8}-\d{4}/)
  expect(reply).toMatch(/请立即拨打 120 或 119/)
  expect(reply).not.toMatch(/上门时间/)
})

it('schedules the second callback for the categories marked as major works', async () => {
  const clock: CaseClock = caseClock()
  const windows = await categoryId('repair', '门窗五金')
  const secondCallbacks = async (category: string) => {
    const [c] = await db.dataSource.query(
      `INSERT INTO service_case (case_no, kind, category, project_id, description, status, intake_channel)
       SELECT 'BX-' || $1 || '-' || floor(random() * 1e9)::text, 'repair', $1, id, '测试', 'closed', 'hotline' FROM project
       RETURNING id`,
      [category],
    )
    await db.dataSource.transaction((m) =>
      clock.closed(m, { id: c.id, kind: 'repair', category, closedAt: now }),
    )
    const timers = await db.dataSource.query(
      `SELECT 1 FROM timer WHERE kind = 'survey.second' AND subject_key = $1 AND status = 'pending'`,
      [`case:${c.id}`],
    )
    return timers.length
  }
  expect(await secondCallbacks('防水渗漏')).toBe(1)
  expect(await secondCallbacks('门窗五金')).toBe(0)
  await asGroup((m) => editCategory(m, { kind: 'all' }, windows, { majorWorks: true }, 'test', now))
  expect(await secondCallbacks('门窗五金')).toBe(1)
})
