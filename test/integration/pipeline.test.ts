import { phoneLookupKey as phoneKey } from '../../src/domain/phone-vault'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { botInstance, message, seedAndBind } from '../support/harness'

const ZHANG = 'wx-zhang'
const LI = 'wx-li'
const COMPLAINT = ['投诉', '1', '2', '卫生间天花板渗水，已经两天了', '跳过', '是']

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
  await seedAndBind(db.dataSource, { [ZHANG]: '13800000001', [LI]: '13800000002' })
})
afterAll(() => db.drop())

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await db.dataSource.query(`SELECT count(*)::int AS n FROM (${sql}) AS q`, params)
  return row.n
}

async function resetConversations(): Promise<void> {
  await db.dataSource.query(`UPDATE conversation SET dialog = NULL, dialog_expires_at = NULL`)
}

describe('inbound pipeline on PostgreSQL', () => {
  beforeEach(resetConversations)

  it('handles a repeated message once: one effect, one reply', async () => {
    const bot = botInstance(db.dataSource)
    for (const text of COMPLAINT.slice(0, -1)) await bot.pipeline.receive(message(ZHANG, text))
    const confirm = message(ZHANG, '是', 'dup-confirm-1')
    const casesBefore = await count(`SELECT id FROM service_case`)

    expect(await bot.pipeline.receive(confirm)).toBe('accepted')
    expect(await bot.pipeline.receive(confirm)).toBe('duplicate')
    expect(await bot.pipeline.receive({ ...confirm, text: '否' })).toBe('duplicate')

    await bot.outbox.settle()
    expect(await count(`SELECT id FROM service_case`)).toBe(casesBefore + 1)
    const filedReplies = bot.channel.textsTo(ZHANG).filter((t) => t.includes('投诉已登记'))
    expect(filedReplies).toHaveLength(1)
  })

  it('resumes a half-finished dialog after the app restarts', async () => {
    const before = botInstance(db.dataSource)
    for (const text of COMPLAINT.slice(0, 3)) await before.pipeline.receive(message(ZHANG, text))

    // A second process: new pool, new pipeline, nothing in memory from the first.
    const restarted = botInstance(await db.connectAgain())
    await restarted.pipeline.receive(message(ZHANG, '楼道灯坏了一周没人修'))
    await restarted.pipeline.receive(message(ZHANG, '跳过'))
    await restarted.outbox.settle()
    expect(restarted.channel.textsTo(ZHANG).at(-1)).toMatch(
      /请确认投诉内容[\s\S]*位置：翠湖花园 3栋 1201[\s\S]*楼道灯坏了一周/,
    )
  })

  it('processes concurrent messages of one conversation in arrival order, across two instances', async () => {
    const first = botInstance(db.dataSource)
    const second = botInstance(await db.connectAgain())
    const inputs = ['投诉', '3', '3', '交房时承诺的会所至今没有开放', '跳过', '是']
    // Accepted in order, handled by racing drains on both instances.
    let conversationId = 0
    for (const text of inputs) {
      const accepted = await first.pipeline.accept(message(LI, text))
      if (accepted !== 'duplicate') conversationId = accepted.conversationId
    }
    await Promise.all([
      first.pipeline.drain(conversationId),
      second.pipeline.drain(conversationId),
      first.pipeline.drain(conversationId),
      second.pipeline.drain(conversationId),
    ])
    const [filed] = await db.dataSource.query(
      `SELECT c.category, c.public_area FROM service_case c JOIN owner o ON o.id = c.owner_id
        WHERE o.phone_key = '${phoneKey('13800000002')}' ORDER BY c.id DESC LIMIT 1`,
    )
    expect(filed).toEqual({ category: '销售承诺', public_area: true })
    expect(
      await count(`SELECT id FROM inbound_message WHERE conversation_id = $1 AND status <> 'done'`, [
        conversationId,
      ]),
    ).toBe(0)

    // Replies are queued in the order the messages arrived.
    const replies: { text: string }[] = await db.dataSource.query(
      `SELECT payload->>'text' AS text FROM outbox WHERE conversation_id = $1 ORDER BY id`,
      [conversationId],
    )
    const order = [
      '请问需要办理什么',
      '请选择投诉类别',
      '问题发生在哪里',
      '请描述具体情况',
      '请确认投诉内容',
      '投诉已登记',
    ]
    const positions = order.map((fragment) => replies.findLastIndex((r) => r.text.includes(fragment)))
    expect(positions).toEqual([...positions].sort((a, b) => a - b))
  })

  it('answers each of many racing messages of one owner exactly once, on two instances', async () => {
    const first = botInstance(db.dataSource)
    const second = botInstance(await db.connectAgain())
    const ids = Array.from({ length: 24 }, (_, i) => `race-${i}`)
    // Most arrive on the usual path; every fourth is stored first and drained (the careful path).
    await Promise.all(
      ids.map(async (id, i) => {
        const bot = i % 2 ? second : first
        const racing = message(ZHANG, '菜单', id)
        if (i % 4 !== 3) return bot.pipeline.receive(racing)
        const accepted = await bot.pipeline.accept(racing)
        if (accepted !== 'duplicate') await bot.pipeline.drain(accepted.conversationId)
      }),
    )
    const handled: { message_id: string; status: string; replies: number }[] = await db.dataSource.query(
      `SELECT i.message_id, i.status, (SELECT count(*)::int FROM outbox o WHERE o.inbound_id = i.id) AS replies
         FROM inbound_message i WHERE i.message_id = ANY($1)`,
      [ids],
    )
    expect(handled).toHaveLength(ids.length)
    expect(handled.filter((row) => row.status !== 'done' || row.replies !== 1)).toEqual([])
  })

  it('answers bad input clearly and keeps the form where it was', async () => {
    const bot = botInstance(db.dataSource)
    await bot.pipeline.receive(message(ZHANG, '投诉'))
    const cases = [
      ['', /没有收到文字内容/],
      ['   ', /没有收到文字内容/],
      ['漏'.repeat(5000), /消息太长了（超过 2000 字）/],
      ['😀🎉🙏', /请回复 1 到 6 之间的序号/],
      [null, /暂时只能识别文字消息/],
    ] as const
    for (const [text, reply] of cases) {
      await bot.pipeline.receive(message(ZHANG, text))
      await bot.outbox.settle()
      expect(bot.channel.textsTo(ZHANG).join('\n')).toMatch(reply)
    }
    const [conversation] = await db.dataSource.query(
      `SELECT dialog->>'id' AS dialog FROM conversation WHERE channel = 'test' AND external_id = $1`,
      [ZHANG],
    )
    expect(conversation.dialog).toBe('complaint')
  })

  it('keeps a message whose handling fails, apologises and clears the stuck dialog', async () => {
    const broken = botInstance(db.dataSource, {
      calendar: {
        isWorkday: () => {
          throw new Error('calendar unavailable')
        },
        knowsYear: () => true,
      },
    })
    const casesBefore = await count(`SELECT id FROM service_case`)
    for (const text of COMPLAINT) await broken.pipeline.receive(message(ZHANG, text))
    await broken.outbox.settle()
    // The effect rolled back with the turn: no half-filed case.
    expect(await count(`SELECT id FROM service_case`)).toBe(casesBefore)
    expect(broken.channel.textsTo(ZHANG).at(-1)).toMatch(/系统刚才出了点问题，您的消息已记录/)
    const [failed] = await db.dataSource.query(
      `SELECT text, error FROM inbound_message WHERE status = 'failed' ORDER BY id DESC LIMIT 1`,
    )
    expect(failed).toMatchObject({ text: '是', error: expect.stringMatching(/calendar unavailable/) })
    const [{ dialog }] = await db.dataSource.query(
      `SELECT dialog FROM conversation WHERE channel = 'test' AND external_id = $1`,
      [ZHANG],
    )
    expect(dialog).toBeNull()
  })

  it('handles messages left pending by a crash when it recovers', async () => {
    const crashed = botInstance(db.dataSource)
    // Accepted and committed, then the process died before handling it.
    await crashed.pipeline.accept(message(ZHANG, '菜单'))
    const recovering = botInstance(await db.connectAgain())
    expect(await recovering.pipeline.recoverPending(0)).toBe(1)
    await recovering.outbox.settle()
    expect(recovering.channel.textsTo(ZHANG).at(-1)).toMatch(/请问需要办理什么/)
  })

  it('stores a message with one commit for fast transports, then handles each conversation in order', async () => {
    const bot = botInstance(db.dataSource)
    const pending = () => count(`SELECT id FROM inbound_message WHERE status = 'pending'`)
    const before = bot.channel.textsTo(LI).length
    // A burst from one owner, stored faster than it is handled: every message answered, in order, once.
    // Stored one after another (arrival order is commit order), each answered before it is handled.
    const results: string[] = []
    for (const [i, text] of ['菜单', '5', '菜单'].entries())
      results.push(await bot.pipeline.store(message(LI, text, `fast-${i}`)))
    expect(results).toEqual(['accepted', 'accepted', 'accepted'])
    expect(await bot.pipeline.store(message(LI, '菜单', 'fast-0'))).toBe('duplicate')
    await bot.pipeline.idle()
    expect(await pending()).toBe(0)
    await bot.outbox.settle()
    const replies = bot.channel.textsTo(LI).slice(before)
    expect(replies).toHaveLength(3)
    expect(replies[0]).toMatch(/请问需要办理什么/)
    expect(replies[2]).toMatch(/请问需要办理什么/)
  })
})
