import type { RunningApp } from '../../src/app'
import { issueToken } from '../../src/admin/auth'
import { TimerSweep } from '../../src/db/timer-sweep'
import { chineseWorkdayCalendar } from '../../src/domain/chinese-calendar'
import { addClockTime, DEFAULT_SLA_POLICIES } from '../../src/domain/sla'
import { caseTimerHandlers } from '../../src/services/cases/case-timers'
import { startTestApp } from '../support/app'
import { testClock } from '../support/clock'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { caseClock, dialogSettings, silentLogger } from '../support/harness'

/** Cases staff open for what came in elsewhere, on that intake's clock; callbacks recorded by phone. */
const ADMIN = 'staffcases-admin-token-0123456789'
let db: TestDatabase
let app: RunningApp
const tokens: Record<string, string> = {}
const ids: Record<string, number> = {}

beforeAll(async () => {
  db = await createTestDatabase()
  app = await startTestApp(db, { ADMIN_TOKEN: ADMIN })
  const one = async (sql: string, params: unknown[] = []) => (await db.dataSource.query(sql, params))[0]
  ids.household = (await one(`SELECT id FROM household WHERE code = 'CUIHU-H0001'`)).id
  ids.project = (await one(`SELECT id FROM project WHERE code = 'CUIHU'`)).id
  const staff = async (wecom: string) =>
    (await one(`SELECT id FROM ambassador WHERE wecom_user_id = $1`, [wecom])).id
  tokens.admin = ADMIN
  tokens.lina = await issueToken(db.dataSource, {
    name: '李娜',
    role: 'ambassador',
    ambassadorId: await staff('lina'),
  })
  tokens.wangqiang = await issueToken(db.dataSource, {
    name: '王强',
    role: 'ambassador',
    ambassadorId: await staff('wangqiang'),
  })
})
afterAll(async () => {
  await app.shutdown()
  await db.drop()
})

async function api(who: string, path: string, body?: unknown) {
  const response = await fetch(`${app.adminUrl}/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, json: (await response.json()) as any }
}
const staffMessagesTo = async (wecomUserId: string): Promise<string[]> =>
  (
    await db.dataSource.query(
      `SELECT COALESCE(payload->>'title' || E'\n', '') || (payload->>'text') AS text
         FROM outbox WHERE channel = 'wecom-app' AND recipient = $1 ORDER BY id`,
      [wecomUserId],
    )
  ).map((row: { text: string }) => row.text)
const sweepAt = (at: Date) =>
  new TimerSweep(
    db.dataSource,
    caseTimerHandlers({
      clock: caseClock(),
      dialogs: dialogSettings(),
      maxTries: 3,
      surveyDialogMinutes: 60,
    }),
    silentLogger,
    () => at,
  ).sweep()

describe('cases staff open', () => {
  it('runs a forum complaint on the 48-working-hour clock, and a console reply meets it', async () => {
    const opened = await api('lina', '/cases', {
      channel: 'forum',
      category: '物业服务',
      description: '论坛帖子：小区南门道闸坏了一周没人修',
      householdId: ids.household,
    })
    expect(opened.status).toBe(201)
    const expected = addClockTime(testClock(), DEFAULT_SLA_POLICIES.forumReply, chineseWorkdayCalendar, {
      openMinute: 540,
      closeMinute: 1050,
    }).dueAt
    expect(Math.abs(new Date(opened.json.replyDueAt).getTime() - expected.getTime())).toBeLessThan(60_000)
    const [filed] = await db.dataSource.query(
      `SELECT intake_channel, ambassador_id, (SELECT id FROM ambassador WHERE wecom_user_id = 'lina') AS lina
         FROM service_case WHERE case_no = $1`,
      [opened.json.caseNo],
    )
    expect(filed.intake_channel).toBe('forum')
    expect(filed.ambassador_id).toBe(filed.lina)
    expect((await staffMessagesTo('lina')).join('\n')).toMatch(new RegExp(opened.json.caseNo))

    const replied = await api('lina', `/cases/${opened.json.caseNo}/transition`, {
      status: 'in_progress',
      note: '已联系物业，道闸今天下午修复',
    })
    expect(replied.status).toBe(200)
    // Long past the deadline, no breach fires: the reply met it.
    await sweepAt(new Date(expected.getTime() + 7 * 86_400_000))
    const breaches = await db.dataSource.query(
      `SELECT 1 FROM case_event e JOIN service_case c ON c.id = e.case_id
        WHERE c.case_no = $1 AND e.kind = 'sla_breached'`,
      [opened.json.caseNo],
    )
    expect(breaches).toEqual([])
    expect((await api('lina', `/cases/${opened.json.caseNo}`)).json.slaState).toBe('met')
  })

  it('takes a major complaint from a non-owner straight to the group centre', async () => {
    const opened = await api('admin', '/cases', {
      channel: 'public_incident',
      category: '工程质量',
      description: '多名业主在售楼处聚集，反映外墙大面积开裂',
      projectId: ids.project,
      reporter: { name: '媒体记者', phone: '010-12345678' },
      major: true,
    })
    expect(opened.status).toBe(201)
    const [filed] = await db.dataSource.query(
      `SELECT escalation_level, details, reply_due_at - created_at AS report_within,
              (SELECT count(*)::int FROM timer t WHERE t.subject_key = 'case:' || c.id AND t.kind = 'sla.solve') AS solve
         FROM service_case c WHERE case_no = $1`,
      [opened.json.caseNo],
    )
    expect(filed.escalation_level).toBe(2)
    expect(filed.details.reporter).toEqual({ name: '媒体记者', phone: '010-12345678' })
    expect(filed.report_within).toEqual({ hours: 3 })
    expect(filed.solve).toBe(1)
    expect((await staffMessagesTo('kfzx')).at(-1)).toMatch(/重大投诉/)
    // Logged by an admin for a non-owner, it waits in the unassigned queue until someone takes it.
    const unassigned = await api('admin', '/cases?unassigned=true')
    expect(unassigned.json.items.map((c: { caseNo: string }) => c.caseNo)).toEqual([opened.json.caseNo])
    expect(unassigned.json.items[0].ambassadorId).toBeNull()
  })

  it('keeps staff to their scope', async () => {
    const refused = await api('wangqiang', '/cases', {
      channel: 'hotline',
      category: '物业服务',
      description: '电话投诉：楼道灯不亮',
      householdId: ids.household,
    })
    expect(refused.status).toBe(422)
    expect(
      (await api('lina', '/cases', { channel: 'hotline', category: 'x', description: '没有写明是谁' }))
        .status,
    ).toBe(400)
  })
})

describe('callbacks by phone', () => {
  it('records the score, settles the callback task, and reopens the case on a poor one', async () => {
    const open = async () =>
      (
        await api('lina', '/cases', {
          channel: 'hotline',
          kind: 'repair',
          category: '水电管线',
          description: '电话报修：厨房插座没电',
          householdId: ids.household,
        })
      ).json.caseNo as string
    const good = await open()
    expect((await api('lina', `/cases/${good}/callbacks`, { score: 5 })).status).toBe(409) // not closed yet
    await api('lina', `/cases/${good}/transition`, { status: 'closed', note: '已更换插座' })
    const recorded = await api('lina', `/cases/${good}/callbacks`, { score: 5, comment: '师傅很及时' })
    expect(recorded.json).toMatchObject({ recorded: true, reopened: false })
    expect((await api('lina', `/cases/${good}/callbacks`, { score: 4 })).status).toBe(409)
    // The callback task's timer finds the round answered and asks nobody to phone.
    const before = (await staffMessagesTo('lina')).length
    await sweepAt(new Date(testClock().getTime() + 3 * 86_400_000))
    expect((await staffMessagesTo('lina')).slice(before).join('\n')).not.toMatch(new RegExp(`${good}.*回访`))

    const poor = await open()
    await api('lina', `/cases/${poor}/transition`, { status: 'closed', note: '已处理' })
    const reopened = await api('lina', `/cases/${poor}/callbacks`, { score: 1, comment: '根本没修好' })
    expect(reopened.json).toMatchObject({ recorded: true, reopened: true, supervisorName: '陈静' })
    expect((await api('admin', `/cases/${poor}`)).json.status).toBe('reopened')
  })
})
