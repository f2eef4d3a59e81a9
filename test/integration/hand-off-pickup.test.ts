import { handOffTimerHandlers } from '../../src/services/conversations/hand-off-pickup'
import { replyInConversation } from '../../src/services/conversations/hand-off'
import { TimerSweep } from '../../src/db/timer-sweep'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { botInstance, say, seedAndBind, silentLogger, type BotInstance } from '../support/harness'

/**
 * An owner who asked for a person and is not picked up within 30 service minutes: the ambassador's
 * supervisor is told, once. Counted in service hours, so a request at night is chased after opening.
 */
const ZHANG = 'wx-zhang' // household H0001, ambassador 李娜 (lina), supervisor 陈静 (chenjing)
const shanghai = (local: string) => new Date(`${local}+08:00`)

let db: TestDatabase
let now: Date
let bot: BotInstance
beforeAll(async () => {
  db = await createTestDatabase()
  await seedAndBind(db.dataSource, { [ZHANG]: '13800000001' })
  bot = botInstance(db.dataSource, { clock: () => now })
})
afterAll(() => db.drop())
beforeEach(async () => {
  await db.dataSource.query(`UPDATE timer SET status = 'cancelled' WHERE status = 'pending'`)
  await db.dataSource.query(
    `UPDATE conversation SET handed_off_at = NULL, handed_off_to = NULL, staff_active_at = NULL`,
  )
})

const sweepAt = async (local: string) => {
  now = shanghai(local)
  await new TimerSweep(db.dataSource, handOffTimerHandlers(), silentLogger, () => now).sweep()
}
const supervisorMessages = async (): Promise<string[]> =>
  (
    await db.dataSource.query(
      `SELECT payload->>'text' AS text FROM outbox
        WHERE channel = 'wecom-app' AND recipient = 'chenjing' AND payload->>'text' LIKE '【人工服务待接手】%'
        ORDER BY id`,
    )
  ).map((row: { text: string }) => row.text)
const onDutyMessages = async (): Promise<string[]> =>
  (
    await db.dataSource.query(
      `SELECT payload->>'text' AS text FROM outbox
        WHERE channel = 'wecom-app' AND recipient = 'wangqiang' AND payload->>'text' LIKE '【值班%' ORDER BY id`,
    )
  ).map((row: { text: string }) => row.text)
const conversationId = async (): Promise<number> =>
  (await db.dataSource.query(`SELECT id FROM conversation WHERE external_id = $1`, [ZHANG]))[0].id

describe('a hand-off nobody picks up', () => {
  it('tells the supervisor after 30 service minutes, once, naming the conversation and the ambassador', async () => {
    const before = (await supervisorMessages()).length
    now = shanghai('2026-11-24T10:00:00') // a Tuesday
    const reply = await say(bot, ZHANG, '人工')
    expect(reply).toMatch(/已通知客户大使李娜，稍后会直接与您联系/)
    expect(reply).not.toMatch(/非工作时间/)
    await sweepAt('2026-11-24T10:29:00')
    expect(await supervisorMessages()).toHaveLength(before)
    await sweepAt('2026-11-24T10:31:00')
    await sweepAt('2026-11-24T11:30:00')
    const told = (await supervisorMessages()).slice(before)
    expect(told).toHaveLength(1)
    expect(told[0]).toContain(`C${await conversationId()}`)
    expect(told[0]).toContain('李娜')
    expect(told[0]).toContain('11月24日（周二）10:00')
  })

  it('is not chased once a staff member has written to the owner', async () => {
    const before = (await supervisorMessages()).length
    now = shanghai('2026-11-24T14:00:00')
    await say(bot, ZHANG, '人工')
    now = shanghai('2026-11-24T14:10:00')
    const id = await conversationId()
    await db.dataSource.transaction((manager) =>
      replyInConversation(
        manager,
        id,
        { ambassadorId: null, name: '李娜', actor: 'staff:lina' },
        '您好，我是李娜，马上为您查询。',
        now,
      ),
    )
    await sweepAt('2026-11-24T15:00:00')
    expect(await supervisorMessages()).toHaveLength(before)
  })

  it('is not chased when the owner went back to the menu', async () => {
    const before = (await supervisorMessages()).length
    now = shanghai('2026-11-24T15:00:00')
    await say(bot, ZHANG, '人工')
    now = shanghai('2026-11-24T15:05:00')
    expect(await say(bot, ZHANG, '菜单')).toMatch(/投诉/)
    await sweepAt('2026-11-24T16:00:00')
    expect(await supervisorMessages()).toHaveLength(before)
  })

  it('counts service hours: asked on Friday night, chased on Monday after 09:30', async () => {
    const before = (await supervisorMessages()).length
    now = shanghai('2026-11-20T22:00:00') // a Friday night
    await db.dataSource.query(
      `UPDATE project SET on_duty_staff_id = (SELECT id FROM ambassador WHERE wecom_user_id = 'wangqiang')`,
    )
    const onDutyBefore = (await onDutyMessages()).length
    // The owner is told when the ambassador is back, and the on-duty colleague hears of it tonight.
    expect(await say(bot, ZHANG, '人工')).toMatch(
      /现在是非工作时间，李娜将在 11月23日（周一）09:00 上班后回复您/,
    )
    expect((await onDutyMessages()).slice(onDutyBefore)).toEqual([
      expect.stringMatching(/^【值班·业主请求人工】非工作时间，张三/),
    ])
    await db.dataSource.query(`UPDATE project SET on_duty_staff_id = NULL`)
    await sweepAt('2026-11-21T10:00:00') // Saturday
    await sweepAt('2026-11-23T09:29:00') // Monday, before the half hour after opening
    expect(await supervisorMessages()).toHaveLength(before)
    await sweepAt('2026-11-23T09:31:00')
    expect(await supervisorMessages()).toHaveLength(before + 1)
  })
})
