import { WechatyBuilder } from 'wechaty'
import { mock, PuppetMock } from 'wechaty-puppet-mock'
import { WechatyChannel } from '../../src/bot/channels/wechaty.channel'
import { OutboxDispatcher } from '../../src/bot/outbox'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { botInstance, seedAndBind, silentLogger } from '../support/harness'

/** The same dialogs over Wechaty, driven by wechaty-puppet-mock: a mock WeChat user talks to the bot. */
let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
  await seedAndBind(db.dataSource, {})
})
afterAll(() => db.drop())

async function wechatyBot() {
  const mocker = new mock.Mocker()
  const wechaty = WechatyBuilder.build({ name: 'anju-test', puppet: new PuppetMock({ mocker }) })
  const channel = new WechatyChannel(wechaty, silentLogger)
  const { pipeline } = botInstance(db.dataSource)
  const outbox = new OutboxDispatcher(db.dataSource, new Map([[channel.name, channel]]), silentLogger, {
    maxAttempts: 3,
  })
  const received: string[] = []
  await channel.start(async (message) => {
    const result = await pipeline.receive(message)
    await outbox.settle()
    return result
  })
  const botUser = mocker.createContact({ name: '安居客服' })
  const loggedIn = new Promise((resolve) => wechaty.once('login', resolve))
  mocker.login(botUser)
  await loggedIn
  const owner = mocker.createContact({ name: '王五' })
  owner.on('message', (message) => {
    if (message.talker().id === botUser.id) received.push(message.text() ?? '')
  })
  /** The owner writes; resolves with what the bot answered to that message. */
  const send = async (text: string, expect: RegExp) => {
    const before = received.length
    owner.say(text).to(botUser)
    for (let i = 0; i < 1000 && !received.slice(before).some((r) => expect.test(r)); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    return received.slice(before).join('\n---\n')
  }
  return { wechaty, owner, send, received, stop: () => wechaty.stop() }
}

describe('Wechaty channel (puppet-mock)', () => {
  it('binds a WeChat user and files a complaint through the same dialogs', async () => {
    const { send, owner, stop } = await wechatyBot()
    try {
      expect(await send('你好', /请输入购房时登记的手机号/)).toMatch(/首次使用需要核对/)
      expect(await send('13800000003', /楼栋和房号/)).toMatch(/请输入楼栋和房号/)
      expect(await send('2栋502', /我要投诉/)).toMatch(/核对成功，王五您好[\s\S]*1\. 我要投诉/)
      await send('1', /投诉类别/)
      await send('2', /发生在哪里/)
      await send('1', /请描述/)
      await send('小区东门的道闸经常抬不起来', /照片/)
      await send('跳过', /请确认/)
      expect(await send('是', /工单号/)).toMatch(/投诉已登记，工单号 TS\d{8}-\d{4}/)

      const [identity] = await db.dataSource.query(
        `SELECT o.name FROM channel_identity ci JOIN owner o ON o.id = ci.owner_id
          WHERE ci.channel = 'wechat' AND ci.external_id = $1`,
        [owner.id],
      )
      expect(identity.name).toBe('王五')
      const [filed] = await db.dataSource.query(
        `SELECT intake_channel, category FROM service_case ORDER BY id DESC LIMIT 1`,
      )
      expect(filed).toEqual({ intake_channel: 'wechat', category: '物业服务' })
    } finally {
      await stop()
    }
  })

  it('never answers its own messages (no reply loops)', async () => {
    const { send, received, stop } = await wechatyBot()
    try {
      await send('菜单', /请问需要办理什么|手机号/)
      await new Promise((resolve) => setTimeout(resolve, 100))
      const [{ n }] = await db.dataSource.query(
        `SELECT count(*)::int AS n FROM inbound_message WHERE channel = 'wechat' AND text LIKE '%安居%'`,
      )
      expect(n).toBe(0)
      expect(received.length).toBeLessThanOrEqual(2)
    } finally {
      await stop()
    }
  })
})
