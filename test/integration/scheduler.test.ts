import { phoneLookupKey, sealPhone } from '../../src/domain/phone-vault'
import type { InboundMessage } from '../../src/bot/channel'
import { caseTimerHandlers } from '../../src/services/cases/case-timers'
import { expireIdleDialogs } from '../../src/services/conversations/dialog-expiry'
import { TimerSweep } from '../../src/db/timer-sweep'
import { createTestDatabase, type TestDatabase } from '../support/db'
import {
  botInstance,
  caseClock,
  dialogSettings,
  say,
  seedAndBind,
  silentLogger,
  type BotInstance,
} from '../support/harness'

const ZHANG = 'wx-zhang' // household H0001, ambassador 李娜 (lina)
const ZHAO = 'wx-zhao' // household H0003, ambassador 李娜
const WANG = 'wx-wang' // household H0002, ambassador 王强

const shanghai = (local: string) => new Date(`${local}+08:00`)

let db: TestDatabase
let now: Date
let bot: BotInstance
beforeAll(async () => {
  db = await createTestDatabase()
  await seedAndBind(db.dataSource, { [ZHANG]: '13800000001', [ZHAO]: '13800000004', [WANG]: '13800000003' })
})
afterAll(() => db.drop())
beforeEach(async () => {
  now = shanghai('2026-11-20T17:00:00') // a Friday, 17:00
  bot = botInstance(db.dataSource, { clock: () => now })
  await db.dataSource.query(`UPDATE timer SET status = 'cancelled' WHERE status = 'pending'`)
})

function sweeper(dataSource = db.dataSource): TimerSweep {
  const settings = { clock: caseClock(), dialogs: dialogSettings(), maxTries: 3, surveyDialogMinutes: 2880 }
  return new TimerSweep(dataSource, caseTimerHandlers(settings), silentLogger, () => now)
}

const one = async <T>(sql: string, params: unknown[] = []): Promise<T> =>
  (await db.dataSource.query(sql, params))[0]
const staffMessagesTo = async (wecomUserId: string): Promise<string[]> =>
  (
    await db.dataSource.query(
      `SELECT COALESCE(payload->>'title' || E'\n', '') || (payload->>'text') AS text FROM outbox WHERE channel = 'wecom-app' AND recipient = $1 ORDER BY id`,
      [wecomUserId],
    )
  ).map((row: { text: string }) => row.text)

async function fileComplaint(
  who: string,
  category = '1',
  description = '客厅吊顶开裂，有掉落风险',
): Promise<string> {
  const reply = await say(bot, who, '投诉', category, '1', description, '跳过', '是')
  const caseNo = /工单号 (TS\d{8}-\d{4})/.exec(reply)?.[1]
  if (!caseNo) throw new Error(`complaint not filed: ${reply}`)
  // The look at the complaint's cluster (group warning) that filing asks the sweep for, taken now so
  // that the tests count only the timers they are about.
  expect(await sweeper().sweep()).toBe(1)
  return caseNo
}

let staffSequence = 0
function fromStaff(wecomUserId: string, text: string): InboundMessage {
  staffSequence += 1
  return {
    channel: 'wecom-app',
    messageId: `staff-${staffSequence}`,
    senderId: wecomUserId,
    text,
    receivedAt: now,
  }
}
async function staffSays(wecomUserId: string, text: string): Promise<string> {
  await bot.pipeline.receive(fromStaff(wecomUserId, text))
  return (await staffMessagesTo(wecomUserId)).at(-1) ?? ''
}

describe('SLA timers', () => {
  it('reminds the ambassador before the deadline, then escalates to the branch head and the group', async () => {
    const caseNo = await fileComplaint(ZHANG)
    const c = await one<{ reply_due_at: Date }>(`SELECT reply_due_at FROM service_case WHERE case_no = $1`, [
      caseNo,
    ])
    expect(c.reply_due_at.toISOString()).toBe(shanghai('2026-11-23T17:00:00').toISOString())

    now = shanghai('2026-11-23T12:59:00')
    expect(await sweeper().sweep()).toBe(0)
    now = shanghai('2026-11-23T13:00:00')
    expect(await sweeper().sweep()).toBe(1)
    expect((await staffMessagesTo('lina')).at(-1)).toMatch(
      new RegExp(`【即将超时】${caseNo} 将于 11月23日（周一）17:00 到期`),
    )

    now = shanghai('2026-11-23T17:00:00')
    expect(await sweeper().sweep()).toBe(1)
    expect((await staffMessagesTo('zhoujianguo')).at(-1)).toMatch(new RegExp(`【超时升级】${caseNo}`))
    now = shanghai('2026-11-24T17:00:00')
    expect(await sweeper().sweep()).toBe(1)
    expect((await staffMessagesTo('kfzx')).at(-1)).toMatch(new RegExp(`【集团督办】${caseNo}`))
    const escalated = await one<{ escalation_level: number }>(
      `SELECT escalation_level FROM service_case WHERE case_no = $1`,
      [caseNo],
    )
    expect(escalated.escalation_level).toBe(2)
  })

  it('stops the clock when the ambassador replies, and pauses it while waiting for the owner', async () => {
    const caseNo = await fileComplaint(ZHANG, '2', '电梯按钮失灵，已经报修三次')
    now = shanghai('2026-11-20T18:00:00')
    expect(await staffSays('lina', `等待 ${caseNo} 请问是几号电梯`)).toMatch(/暂停计时/)
    expect(bot.channel.textsTo(ZHANG).length).toBeGreaterThan(0)
    const paused = await one<{ sla_remaining_minutes: number; pending: number }>(
      `SELECT sla_remaining_minutes, (SELECT count(*)::int FROM timer WHERE subject_key = 'case:' || c.id AND status = 'pending') AS pending
         FROM service_case c WHERE case_no = $1`,
      [caseNo],
    )
    // Friday 18:00 → Monday 17:00 leaves 6 h of Friday and 17 h of Monday.
    expect(paused).toEqual({ sla_remaining_minutes: 23 * 60, pending: 0 })

    now = shanghai('2026-11-24T09:00:00')
    await say(bot, ZHANG, '工单', '1', '补充说明', '是 2 号电梯')
    const resumed = await one<{ reply_due_at: Date; status: string }>(
      `SELECT reply_due_at, status FROM service_case WHERE case_no = $1`,
      [caseNo],
    )
    expect(resumed).toEqual({ reply_due_at: shanghai('2026-11-25T08:00:00'), status: 'in_progress' })

    expect(await staffSays('lina', `进展 ${caseNo} 已安排电梯公司明天上午检修`)).toMatch(/已将进展告知业主/)
    await bot.outbox.settle()
    expect(bot.channel.textsTo(ZHANG).at(-1)).toMatch(/有新进展：已安排电梯公司明天上午检修/)
    now = shanghai('2026-11-26T12:00:00')
    expect(await sweeper().sweep()).toBe(0)
  })

  it('answers another ambassador’s case as no case at all, records the attempt, and helps with unknown commands', async () => {
    const caseNo = await fileComplaint(ZHANG)
    const missing = await staffSays('wangqiang', '接单 TS20990101-9999')
    expect(missing).toMatch(/没有找到这张工单/)
    expect(await staffSays('wangqiang', `接单 ${caseNo}`)).toBe(missing)
    const [denied] = await db.dataSource.query(
      `SELECT subject_id FROM audit_log WHERE action = 'staff_command.denied' ORDER BY id DESC LIMIT 1`,
    )
    expect(denied.subject_id).toBe(caseNo)
    expect(await staffSays('wangqiang', '你好')).toMatch(/没有识别这条指令[\s\S]*可用指令/)
    expect(await staffSays('stranger', '工单')).toMatch(/还没有登记为客户服务人员/)
    expect(await staffSays('lina', '工单')).toMatch(new RegExp(`${caseNo}｜工程质量｜张三｜待接单｜时限`))
  })
})

describe('callback surveys after closure', () => {
  it('asks the owner 2 hours after closure and records the answer', async () => {
    const caseNo = await fileComplaint(ZHAO, '2', '垃圾清运不及时，楼道有异味')
    now = shanghai('2026-11-23T10:00:00')
    expect(await staffSays('lina', `关闭 ${caseNo} 已调整清运时间为每天两次`)).toMatch(/已办结/)
    await bot.outbox.settle()
    expect(bot.channel.textsTo(ZHAO).at(-1)).toMatch(/已处理完毕：已调整清运时间为每天两次/)

    now = shanghai('2026-11-23T11:59:00')
    expect(await sweeper().sweep()).toBe(0)
    now = shanghai('2026-11-23T12:00:00')
    expect(await sweeper().sweep()).toBe(1)
    await bot.outbox.settle()
    expect(bot.channel.textsTo(ZHAO).slice(-2).join('\n')).toMatch(
      new RegExp(`工单 ${caseNo} 已处理完毕。耽误您几秒钟[\\s\\S]*5\\. 非常满意`),
    )
    await say(bot, ZHAO, '4')
    expect(await say(bot, ZHAO, '跳过')).toMatch(/感谢您的评价/)
    const survey = await one<{ score: number; sent_at: Date }>(
      `SELECT s.score, s.sent_at FROM survey s JOIN service_case c ON c.id = s.case_id WHERE c.case_no = $1`,
      [caseNo],
    )
    expect(survey).toEqual({ score: 4, sent_at: shanghai('2026-11-23T12:00:00') })

    // The 24-hour callback deadline passes quietly because the owner answered.
    now = shanghai('2026-11-24T10:00:00')
    const before = (await staffMessagesTo('lina')).length
    expect(await sweeper().sweep()).toBe(1)
    expect(await staffMessagesTo('lina')).toHaveLength(before)
  })
})

describe('the timer sweep', () => {
  async function dueReminders(count: number): Promise<void> {
    const caseNo = await fileComplaint(ZHANG, '6', '小区路灯不亮，晚上回家不安全')
    await db.dataSource.query(
      `INSERT INTO timer (kind, subject_key, due_at, payload)
       SELECT 'sla.remind', 'load:' || n, $2::timestamptz - interval '3 hours',
              jsonb_build_object('caseId', (SELECT id FROM service_case WHERE case_no = $1))
         FROM generate_series(1, $3) AS n`,
      [caseNo, now, count],
    )
  }

  it('fires every timer exactly once with two instances sweeping at the same time', async () => {
    await dueReminders(60)
    const before = (await staffMessagesTo('lina')).length
    const other = await db.connectAgain()
    const [a, b] = await Promise.all([sweeper().sweep(), sweeper(other).sweep()])
    expect(a + b).toBe(60)
    expect((await staffMessagesTo('lina')).length - before).toBe(60)
    const [{ fired }] = await db.dataSource.query(
      `SELECT count(*)::int AS fired FROM timer WHERE subject_key LIKE 'load:%' AND status = 'fired'`,
    )
    expect(fired).toBe(60)
  })

  it('catches up after downtime: a missed timer fires once, not once per missed tick', async () => {
    await dueReminders(3)
    now = new Date(now.getTime() + 6 * 3600_000) // the instance was down for six hours
    expect(await sweeper().sweep()).toBe(3)
    expect(await sweeper().sweep()).toBe(0)
  })

  it('retries a failing timer later without blocking the others', async () => {
    await db.dataSource.query(
      `INSERT INTO timer (kind, subject_key, due_at) VALUES ('no-such-kind', 'x', $1)`,
      [now],
    )
    await dueReminders(2)
    expect(await sweeper().sweep()).toBe(2)
    const failed = await one<{ status: string; attempts: number; later: boolean; error: string }>(
      `SELECT status, attempts, due_at > $1 AS later, payload->>'lastError' AS error FROM timer WHERE kind = 'no-such-kind'`,
      [now],
    )
    expect(failed).toEqual({
      status: 'pending',
      attempts: 1,
      later: true,
      error: expect.stringMatching(/no handler/),
    })
  })

  it('writes the monthly complaint analysis and schedules the next one for the 5th', async () => {
    now = shanghai('2026-12-05T09:00:00')
    await db.dataSource.query(
      `INSERT INTO timer (kind, subject_key, due_at) VALUES ('report.monthly', 'complaint-analysis', $1)`,
      [now],
    )
    expect(await sweeper().sweep()).toBe(1)
    const report = await one<{ data: { total: number; byCategory: { key: string }[] } }>(
      `SELECT data FROM report WHERE kind = 'complaint-monthly' AND period = '2026-11'`,
    )
    expect(report.data.total).toBeGreaterThan(0)
    expect(report.data.byCategory.map((row) => row.key)).toContain('工程质量')
    const next = await one<{ due_at: Date }>(
      `SELECT due_at FROM timer WHERE kind = 'report.monthly' AND status = 'pending'`,
    )
    expect(next.due_at).toEqual(shanghai('2027-01-05T09:00:00'))
    expect((await staffMessagesTo('kfzx')).at(-1)).toMatch(/【月度投诉分析】2026-11/)
  })
})

describe('group-complaint early warning', () => {
  it('raises one alert when three households complain about the same thing', async () => {
    const alerts = () =>
      one<{ n: number }>(
        `SELECT count(*)::int AS n FROM service_case WHERE kind = 'alert' AND category = '配套设施'`,
      )
    // Each filing asks for a look at its cluster, which the timer sweep takes (fileComplaint runs it).
    await fileComplaint(ZHANG, '5', '会所泳池一直没有开放')
    await fileComplaint(ZHAO, '5', '会所泳池承诺的开放时间已过')
    expect((await alerts()).n).toBe(0)
    await fileComplaint(WANG, '5', '泳池和健身房都没有开放')
    expect((await alerts()).n).toBe(1)
    expect((await staffMessagesTo('zhoujianguo')).at(-1)).toMatch(
      /【群诉预警】翠湖花园：48 小时内已有 3 户业主投诉「配套设施」/,
    )
    await fileComplaint(ZHAO, '5', '再次反映泳池问题')
    expect((await alerts()).n).toBe(1)
    // Not solved within 12 hours: the group centre is told to step in.
    now = new Date(now.getTime() + 12 * 3600_000)
    await sweeper().sweep()
    expect((await staffMessagesTo('kfzx')).join('\n')).toMatch(
      /【群诉未解决】YJ\d{8}-\d{4}（配套设施）已超过 12 小时/,
    )
  })
})

describe('assignment', () => {
  it('gives a newly bound household the least-loaded ambassador of its project', async () => {
    await db.dataSource.query(
      `WITH h AS (INSERT INTO household (code, stage) VALUES ('CUIHU-H0099', '磨合期') RETURNING id),
            u AS (INSERT INTO unit (building_id, room_no, delivered_on)
                  SELECT id, '1801', '2025-06-30' FROM building WHERE name = '2栋' RETURNING id),
            hu AS (INSERT INTO household_unit SELECT h.id, u.id FROM h, u)
       INSERT INTO owner (household_id, name, phone_enc, phone_key) SELECT id, '孙七', '${sealPhone('13800000099')}', '${phoneLookupKey('13800000099')}' FROM h`,
    )
    await say(bot, 'wx-sun', '你好', '同意', '13800000099', '2栋1801')
    const assigned = await one<{ name: string }>(
      `SELECT a.name FROM ambassador_assignment aa JOIN ambassador a ON a.id = aa.ambassador_id
         JOIN household h ON h.id = aa.household_id WHERE h.code = 'CUIHU-H0099' AND aa.ended_at IS NULL`,
    )
    // 李娜 looks after two households, 王强 after one.
    expect(assigned.name).toBe('王强')
  })
})

describe('idle dialogs', () => {
  it('ends a dialog left idle and tells the owner, once', async () => {
    await db.dataSource.query(`UPDATE conversation SET dialog = NULL, dialog_expires_at = NULL`)
    await say(bot, ZHANG, '投诉', '1')
    const expiresAt = await one<{ dialog_expires_at: Date }>(
      `SELECT dialog_expires_at FROM conversation WHERE channel = 'test' AND external_id = $1`,
      [ZHANG],
    )
    expect(
      await expireIdleDialogs(db.dataSource, new Date(expiresAt.dialog_expires_at.getTime() - 1000)),
    ).toBe(0)
    expect(await expireIdleDialogs(db.dataSource, expiresAt.dialog_expires_at)).toBe(1)
    expect(await expireIdleDialogs(db.dataSource, expiresAt.dialog_expires_at)).toBe(0)
    await bot.outbox.settle()
    expect(bot.channel.textsTo(ZHANG).at(-1)).toMatch(/上次的操作已超时/)
  })
})
