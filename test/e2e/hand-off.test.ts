import { phoneLookupKey as phoneKey } from '../../src/domain/phone-vault'
import type { RunningApp } from '../../src/app'
import { issueToken } from '../../src/admin/auth'
import { startTestApp } from '../support/app'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { botInstance, say, type BotInstance } from '../support/harness'

/**
 * Staff take over a conversation: 人工 pauses the bot, the owner's messages reach the ambassador and the
 * transcript, a staff reply reaches the owner's channel, and the bot answers again after release.
 */
const ADMIN = 'handoff-admin-token-0123456789'
const ZHANG = 'wx-zhang'
let db: TestDatabase
let app: RunningApp
let bot: BotInstance
const tokens: Record<string, string> = {}

beforeAll(async () => {
  db = await createTestDatabase()
  app = await startTestApp(db, { ADMIN_TOKEN: ADMIN })
  await db.dataSource.query(
    `INSERT INTO channel_identity (channel, external_id, owner_id) SELECT 'test', $1, id FROM owner WHERE phone_key = '${phoneKey('13800000001')}'`,
    [ZHANG],
  )
  bot = botInstance(db.dataSource)
  const staffId = async (wecom: string) =>
    (await db.dataSource.query(`SELECT id FROM ambassador WHERE wecom_user_id = $1`, [wecom]))[0].id as number
  tokens.lina = await issueToken(db.dataSource, {
    name: '李娜',
    role: 'ambassador',
    ambassadorId: await staffId('lina'),
  })
  tokens.wangqiang = await issueToken(db.dataSource, {
    name: '王强',
    role: 'ambassador',
    ambassadorId: await staffId('wangqiang'),
  })
})
afterAll(async () => {
  await app.shutdown()
  await db.drop()
})

async function api(who: string, path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${app.adminUrl}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, json: (await response.json()) as any }
}
const staffMessagesTo = async (wecomUserId: string): Promise<string[]> =>
  (
    await db.dataSource.query(
      `SELECT payload->>'text' AS text FROM outbox WHERE channel = 'wecom-app' AND recipient = $1 ORDER BY id`,
      [wecomUserId],
    )
  ).map((row: { text: string }) => row.text)

describe('staff take over a conversation', () => {
  it('pauses the bot on 人工, shows the transcript, delivers the staff reply, and hands back on release', async () => {
    expect(await say(bot, ZHANG, '人工')).toMatch(/已通知客户大使李娜/)
    const [{ id }] = await db.dataSource.query(`SELECT id FROM conversation WHERE external_id = $1`, [ZHANG])

    // The owner writes on: no bot answer, and the ambassador reads it.
    expect(await say(bot, ZHANG, '卫生间的水管一直在滴水，什么时候能来看看？')).toBe('')
    expect((await staffMessagesTo('lina')).at(-1)).toMatch(
      new RegExp(`【业主消息·会话 C${id}】张三：卫生间的水管一直在滴水`),
    )

    const waiting = await api('lina', '/conversations?state=with_staff')
    expect(waiting.json.items.map((c: { id: number }) => c.id)).toContain(id)
    const history = await api('lina', `/conversations/${id}/messages`)
    expect(history.json.items.map((m: { author: string; text: string }) => `${m.author}:${m.text}`)).toEqual(
      expect.arrayContaining(['owner:人工', 'owner:卫生间的水管一直在滴水，什么时候能来看看？']),
    )
    // Another ambassador's conversation is not theirs to read or answer.
    expect((await api('wangqiang', `/conversations/${id}/messages`)).status).toBe(404)
    expect(
      (await api('wangqiang', `/conversations/${id}/messages`, { method: 'POST', body: { text: '你好' } }))
        .status,
    ).toBe(404)

    // The ambassador answers from the console: it reaches the owner's channel.
    const reply = await api('lina', `/conversations/${id}/messages`, {
      method: 'POST',
      body: { text: '您好，我是李娜，今天下午三点安排师傅上门。' },
    })
    expect(reply.status).toBe(201)
    await bot.outbox.settle()
    expect(bot.channel.textsTo(ZHANG).at(-1)).toBe('您好，我是李娜，今天下午三点安排师傅上门。')
    const after = await api('lina', `/conversations/${id}/messages`)
    expect(after.json.items.at(-1)).toMatchObject({ direction: 'out', author: '李娜' })
    expect(await say(bot, ZHANG, '好的谢谢')).toBe('')

    // Released: the owner is told, and the bot answers again.
    expect((await api('lina', `/conversations/${id}/release`, { method: 'POST' })).status).toBe(200)
    await bot.outbox.settle()
    expect(bot.channel.textsTo(ZHANG).at(-1)).toMatch(/已为您转回智能助手/)
    expect(await say(bot, ZHANG, '你好')).toMatch(/请问需要办理什么/)
    expect((await api('lina', `/conversations/${id}/release`, { method: 'POST' })).status).toBe(409)
  })

  it('lets the owner take the bot back with 菜单, and staff answer by WeCom chat command', async () => {
    await say(bot, ZHANG, '我要人工')
    await say(bot, ZHANG, '人工')
    const [{ id }] = await db.dataSource.query(`SELECT id FROM conversation WHERE external_id = $1`, [ZHANG])
    expect(await say(bot, ZHANG, '菜单')).toMatch(/请问需要办理什么/)
    // From WeCom: 回复 C<id> …
    await say(bot, ZHANG, '人工')
    await bot.pipeline.receive({
      channel: 'wecom-app',
      messageId: 'staff-reply-1',
      senderId: 'lina',
      text: `回复 C${id} 师傅已出发，二十分钟到。`,
      receivedAt: new Date(),
    })
    await bot.outbox.settle()
    expect(bot.channel.textsTo(ZHANG).at(-1)).toBe('师傅已出发，二十分钟到。')
    expect((await staffMessagesTo('lina')).at(-1)).toMatch(new RegExp(`已发给业主（会话 C${id}）`))
    await bot.pipeline.receive({
      channel: 'wecom-app',
      messageId: 'staff-release-1',
      senderId: 'wangqiang',
      text: `释放 C${id}`,
      receivedAt: new Date(),
    })
    expect((await staffMessagesTo('wangqiang')).at(-1)).toMatch(/没有找到这个会话/)
  })
})

describe('two instances', () => {
  it('deliver a staff reply once', async () => {
    const other = botInstance(await db.connectAgain())
    await say(bot, ZHANG, '人工')
    const [{ id }] = await db.dataSource.query(`SELECT id FROM conversation WHERE external_id = $1`, [ZHANG])
    const text = '两台服务器只应送达一次的回复。'
    expect(
      (await api('lina', `/conversations/${id}/messages`, { method: 'POST', body: { text } })).status,
    ).toBe(201)
    await Promise.all([bot.outbox.settle(), other.outbox.settle()])
    const received = [...bot.channel.textsTo(ZHANG), ...other.channel.textsTo(ZHANG)].filter(
      (t) => t === text,
    )
    expect(received).toHaveLength(1)
    await api('lina', `/conversations/${id}/release`, { method: 'POST' })
  })
})

describe('canned replies (快捷回复)', () => {
  beforeAll(async () => {
    const headId = (
      await db.dataSource.query(`SELECT id FROM ambassador WHERE wecom_user_id = 'zhoujianguo'`)
    )[0].id as number
    tokens.head = await issueToken(db.dataSource, {
      name: '周建国',
      role: 'branch_head',
      ambassadorId: headId,
    })
    tokens.admin = ADMIN
  })

  it('are written per project with placeholders, filled for the owner, and refused where they do not belong', async () => {
    const [{ id: cuihu }] = await db.dataSource.query(`SELECT id FROM project WHERE name = '翠湖花园'`)
    await db.dataSource.query(`INSERT INTO branch (name) VALUES ('西湖分公司') ON CONFLICT DO NOTHING`)
    const [{ id: other }] = await db.dataSource.query(
      `INSERT INTO project (code, name, city, branch) VALUES ('XIHU', '西湖里', '杭州', '西湖分公司') RETURNING id`,
    )
    // A branch head writes for the branch's project; a typo in a placeholder is caught when saving.
    const typo = await api('head', '/canned-replies', {
      method: 'POST',
      body: { projectId: cuihu, title: '上门', body: '{业主名}您好' },
    })
    expect(typo.status).toBe(422)
    expect(typo.json.title).toContain('{业主名}')
    const saved = await api('head', '/canned-replies', {
      method: 'POST',
      body: {
        projectId: cuihu,
        title: '已安排上门',
        body: '{业主}您好，我是{项目}客户大使{客户大使}，师傅今天下午上门，有事请拨{大使电话}。',
      },
    })
    expect(saved.status).toBe(201)
    // Not for another branch's project, nor group-wide.
    expect(
      (
        await api('head', '/canned-replies', {
          method: 'POST',
          body: { projectId: other, title: 'x', body: 'y' },
        })
      ).status,
    ).toBe(422)
    expect(
      (await api('head', '/canned-replies', { method: 'POST', body: { title: 'x', body: 'y' } })).status,
    ).toBe(403)
    const elsewhere = await api('admin', '/canned-replies', {
      method: 'POST',
      body: { projectId: other, title: '西湖里交付', body: '西湖里交付时间另行通知。' },
    })
    const groupWide = await api('admin', '/canned-replies', {
      method: 'POST',
      body: { title: '稍后回复', body: '{业主}您好，已收到，稍后答复您。' },
    })

    // The ambassador sees the group's and the project's, not the other branch's.
    const listed = await api('lina', '/canned-replies')
    expect(listed.json.items.map((r: { title: string }) => r.title)).toEqual(['稍后回复', '已安排上门'])

    // Sent in Zhang's conversation, filled with his name, the project, his ambassador and her phone.
    await say(bot, ZHANG, '人工')
    const [{ id }] = await db.dataSource.query(`SELECT id FROM conversation WHERE external_id = $1`, [ZHANG])
    const sent = await api('lina', `/conversations/${id}/messages`, {
      method: 'POST',
      body: { cannedReplyId: saved.json.id },
    })
    expect(sent.status).toBe(201)
    await bot.outbox.settle()
    expect(bot.channel.textsTo(ZHANG).at(-1)).toBe(
      '张三您好，我是翠湖花园客户大使李娜，师傅今天下午上门，有事请拨13900000001。',
    )
    // Another project's text would tell Zhang the wrong facts.
    const wrong = await api('admin', `/conversations/${id}/messages`, {
      method: 'POST',
      body: { cannedReplyId: elsewhere.json.id },
    })
    expect(wrong.status).toBe(422)
    // Retired: no longer listed or usable; the branch head cannot retire the group's.
    expect((await api('head', `/canned-replies/${groupWide.json.id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await api('head', `/canned-replies/${saved.json.id}`, { method: 'DELETE' })).status).toBe(200)
    expect((await api('lina', '/canned-replies')).json.items.map((r: { title: string }) => r.title)).toEqual([
      '稍后回复',
    ])
    expect(
      (
        await api('lina', `/conversations/${id}/messages`, {
          method: 'POST',
          body: { cannedReplyId: saved.json.id },
        })
      ).status,
    ).toBe(404)
  })
})
