import type { InboundMessage } from '../../src/bot/channel'
import { findCase, listCases } from '../../src/db/case-queries'
import { slaCompliance } from '../../src/db/report-queries'
import { CaseLifecycle } from '../../src/services/cases/case-lifecycle'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { botInstance, caseClock, say, seedAndBind, type BotInstance } from '../support/harness'

/**
 * One lifecycle, whoever acts: the bugs of earlier versions, tried as staff and owners met them.
 * The clock starts Monday 2026-11-23 10:00 in Shanghai and is moved by each test.
 */
const ZHANG = 'wx-zhang'
const shanghai = (local: string) => new Date(`${local}+08:00`)

let db: TestDatabase
let now: Date
let bot: BotInstance
beforeAll(async () => {
  db = await createTestDatabase()
  await seedAndBind(db.dataSource, { [ZHANG]: '13800000001' })
})
afterAll(() => db.drop())
beforeEach(async () => {
  await db.dataSource.query(`UPDATE conversation SET dialog = NULL, dialog_expires_at = NULL`)
  now = shanghai('2026-11-23T10:00:00')
  bot = botInstance(db.dataSource, { clock: () => now })
})

const one = async <T>(sql: string, params: unknown[] = []): Promise<T> =>
  (await db.dataSource.query(sql, params))[0]
let sequence = 0
async function staffSays(wecomUserId: string, text: string): Promise<void> {
  sequence += 1
  const message: InboundMessage = {
    channel: 'wecom-app',
    messageId: `lifecycle-${sequence}`,
    senderId: wecomUserId,
    text,
    receivedAt: now,
  }
  await bot.pipeline.receive(message)
}
async function fileComplaint(): Promise<string> {
  const reply = await say(bot, ZHANG, '投诉', '1', '1', '卫生间顶棚渗水，墙皮脱落', '跳过', '是')
  return /工单号 (TS\d{8}-\d{4})/.exec(reply)?.[1] as string
}
const stateOf = async (caseNo: string, at: Date) =>
  (await listCases(db.dataSource, { limit: 200, now: at })).items.find((c) => c.caseNo === caseNo)?.slaState

describe('a met deadline stays met', () => {
  it('shows a complaint answered in seconds as met, long after its deadline, in lists, filters and reports', async () => {
    const caseNo = await fileComplaint()
    now = new Date(now.getTime() + 3000)
    await staffSays('lina', `进展 ${caseNo} 已安排工程部今天下午上门查看`)
    const later = shanghai('2026-12-20T10:00:00') // weeks past the 24-working-hour deadline
    expect(await stateOf(caseNo, later)).toBe('met')
    const breached = await listCases(db.dataSource, { limit: 200, now: later, sla: 'breached' })
    expect(breached.items.map((c) => c.caseNo)).not.toContain(caseNo)
    const report = await slaCompliance(db.dataSource, '2026-11', null, later)
    expect(report.byKind.find((k) => k.kind === 'complaint')).toMatchObject({ breached: 0 })
  })

  it('counts an unanswered complaint as breached once its deadline passes, and a late answer stays breached', async () => {
    const caseNo = await fileComplaint()
    expect(await stateOf(caseNo, now)).toBe('running')
    const due = (
      await one<{ reply_due_at: Date }>(`SELECT reply_due_at FROM service_case WHERE case_no = $1`, [caseNo])
    ).reply_due_at
    expect(await stateOf(caseNo, new Date(due.getTime() - 60_000))).toBe('due_soon')
    expect(await stateOf(caseNo, new Date(due.getTime() + 60_000))).toBe('breached')
    now = new Date(due.getTime() + 3600_000)
    await staffSays('lina', `进展 ${caseNo} 抱歉回复晚了，明天上门`)
    expect(await stateOf(caseNo, shanghai('2027-01-10T10:00:00'))).toBe('breached')
  })
})

describe('the same effect whoever acts', () => {
  it('counts a note given with a status change through the API as the reply', async () => {
    const caseNo = await fileComplaint()
    await db.dataSource.transaction(async (manager) => {
      const c = await findCase(manager, caseNo, true)
      expect(
        await new CaseLifecycle(manager, caseClock(), now).transition(
          c!,
          'in_progress',
          '已联系物业维修',
          'staff:api',
        ),
      ).toBe('ok')
    })
    const c = await one<{ reply_met_at: Date | null; timers: number }>(
      `SELECT reply_met_at, (SELECT count(*)::int FROM timer t WHERE t.subject_key = 'case:' || c.id
                               AND t.status = 'pending' AND t.kind LIKE 'sla.%') AS timers
         FROM service_case c WHERE case_no = $1`,
      [caseNo],
    )
    expect(c.reply_met_at).toEqual(now)
    expect(c.timers).toBe(0)
    await bot.outbox.settle()
    expect(bot.channel.textsTo(ZHANG).at(-1)).toMatch(/有新进展：已联系物业维修/)
  })

  it('starts the 10-minute dispatch clock when a repair is booked, in service hours, and 接单 meets it', async () => {
    const [{ id: slotId }] = await db.dataSource.query(
      `INSERT INTO repair_slot (project_id, starts_at, ends_at, capacity)
       SELECT id, $1::timestamptz + interval '1 day', $1::timestamptz + interval '1 day 2 hours', 5 FROM project
       RETURNING id`,
      [now],
    )
    now = shanghai('2026-11-23T22:00:00') // booked at night: due 10 minutes after the desk opens
    const reply = await say(bot, ZHANG, '报修', '1', '1', '卧室窗户关不严，漏风', '跳过', '1', '是')
    const caseNo = /工单号 (BX\d{8}-\d{4})/.exec(reply)?.[1] as string
    expect(caseNo).toBeDefined()
    const booked = await one<{ reply_due_at: Date; repair_slot_id: number }>(
      `SELECT reply_due_at, repair_slot_id FROM service_case WHERE case_no = $1`,
      [caseNo],
    )
    expect(booked.repair_slot_id).toBe(slotId)
    expect(booked.reply_due_at).toEqual(shanghai('2026-11-24T09:10:00'))
    now = shanghai('2026-11-24T09:05:00')
    await staffSays('lina', `接单 ${caseNo}`)
    expect(await stateOf(caseNo, shanghai('2026-11-30T10:00:00'))).toBe('met')
  })
})

describe('what owners and staff read', () => {
  it('shows owners only the events meant for them, in Chinese', async () => {
    const caseNo = await fileComplaint()
    const id = (await one<{ id: number }>(`SELECT id FROM service_case WHERE case_no = $1`, [caseNo])).id
    await db.dataSource.query(
      `INSERT INTO case_event (case_id, actor, kind, data) VALUES
         ($1, 'system', 'sla_breached', '{}'), ($1, 'staff:1', 'staff_note', '{"note":"业主脾气急"}'),
         ($1, 'staff:1', 'reassigned', '{}')`,
      [id],
    )
    await staffSays('lina', `进展 ${caseNo} 明天上午九点上门`)
    const list = await say(bot, ZHANG, '工单')
    const index = new RegExp(`(\\d+)\\. ${caseNo}`).exec(list)?.[1] as string
    const view = await say(bot, ZHANG, index)
    expect(view).toMatch(/客户大使答复了您/)
    expect(view).not.toMatch(/sla_breached|staff_note|staff_reply|reassigned|业主脾气急/)
  })

  it('tells staff a case waits for the owner, not for them', async () => {
    const caseNo = await fileComplaint()
    await staffSays('lina', `等待 ${caseNo} 请发一张渗水位置的照片`)
    await staffSays('lina', '工单')
    const [{ text }] = await db.dataSource.query(
      `SELECT payload->>'text' AS text FROM outbox WHERE recipient = 'lina' ORDER BY id DESC LIMIT 1`,
    )
    expect(text).toMatch(new RegExp(`${caseNo}｜工程质量｜张三｜待业主回复`))
  })
})
