import { phoneLookupKey as phoneKey } from '../../src/domain/phone-vault'
import { WechatyBuilder } from 'wechaty'
import { mock, PuppetMock } from 'wechaty-puppet-mock'
import { WechatyChannel } from '../../src/channels/wechaty/wechaty.channel'
import { OutboxDispatcher } from '../../src/bot/outbox'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { botInstance, seedAndBind, silentLogger } from '../support/harness'
import { testClock } from '../support/clock'

/** The same dialogs over Wechaty, driven by wechaty-puppet-mock: a mock WeChat user talks to the bot. */
let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
  await seedAndBind(db.dataSource, {})
})
afterAll(() => db.drop())

async function wechatyBot(ownerName = '王五') {
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
  const owner = mocker.createContact({ name: ownerName })
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
    const replies = received.slice(before).join('\n---\n')
    if (!received.slice(before).some((r) => expect.test(r))) {
      throw new Error(`no reply matching ${expect} to ${JSON.stringify(text)}; got: ${replies}`)
    }
    return replies
  }
  return { wechaty, owner, botUser, send, received, stop: () => wechaty.stop() }
}

describe('Wechaty channel (puppet-mock)', () => {
  it('binds a WeChat user and files a complaint through the same dialogs', async () => {
    const { send, owner, stop } = await wechatyBot()
    try {
      expect(await send('你好', /个人信息保护提示/)).toMatch(/首次使用需要核对/)
      expect(await send('同意', /请输入购房时登记的手机号/)).toMatch(/请输入购房时登记的手机号/)
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

  it('runs every owner dialog over WeChat, with cancel mid-form and three wrong answers', async () => {
    const { send, owner, stop } = await wechatyBot('张三')
    try {
      await db.dataSource.query(
        `INSERT INTO channel_identity (channel, external_id, owner_id) SELECT 'wechat', $1, id FROM owner WHERE phone_key = '${phoneKey('13800000001')}'`,
        [owner.id],
      )
      // Cancel in the middle of a form: nothing is filed, the next message starts afresh.
      await send('投诉', /投诉类别/)
      await send('1', /发生在哪里/)
      expect(await send('取消', /已取消/)).toMatch(/已取消当前操作，您填写的内容没有提交/)
      // Three wrong answers end the form with a way out.
      await send('报修', /报修类别/)
      await send('9', /还可以再试 2 次/)
      await send('不知道', /还可以再试 1 次/)
      expect(await send('🙂', /几次都没能识别/)).toMatch(/回复「人工」/)
      // Repair booking on one of the owner's two units.
      await send('报修', /报修类别/)
      await send('1', /需要维修的房屋/)
      await send('2', /请描述/)
      await send('卧室飘窗下方渗水', /照片/)
      await send('跳过', /上门时间/)
      await send('1', /请确认报修信息/)
      const booked = await send('是', /报修已预约/)
      const caseNo = /工单号 (BX\d{8}-\d{4})/.exec(booked)?.[1] as string
      expect(caseNo).toBeDefined()
      // Case list and detail.
      await send('查询我的工单', new RegExp(caseNo))
      expect(await send('1', /需要做什么/)).toMatch(/上门时间：/)
      expect(await send('4', /回复「菜单」/)).toMatch(/如需办理其他事项/)
      // Progress letters.
      expect(await send('工程进度告知函', /告知函/)).toMatch(/【未读】/)
      expect(await send('1', /工程进度告知函|外立面/)).toMatch(/尊敬的业主/)
      // Ambassador card.
      expect(await send('联系客户大使', /客户大使/)).toMatch(/李娜/)
      // Callback survey once the repair is done.
      await db.dataSource.query(
        `UPDATE service_case SET status = 'closed', closed_at = now() WHERE case_no = $1`,
        [caseNo],
      )
      await send('满意度回访', /打分/)
      await send('5', /还有什么想告诉我们/)
      expect(await send('师傅很专业', /感谢您的评价/)).toMatch(/感谢您的评价/)
      const [survey] = await db.dataSource.query(
        `SELECT s.score FROM survey s JOIN service_case c ON c.id = s.case_id WHERE c.case_no = $1`,
        [caseNo],
      )
      expect(survey.score).toBe(5)
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

describe('files an owner sends over Wechaty', () => {
  it('keeps a photo through the puppet’s FileBox, beyond the chat', async () => {
    const { mkdtempSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const path = await import('node:path')
    const sharp = (await import('sharp')).default
    const { FileBox } = await import('file-box')
    const { MediaFetcher } = await import('../../src/services/media/media-fetcher')
    const { FileMediaStore } = await import('../../src/services/media/media-store')
    const { send, owner, botUser, stop, wechaty } = await wechatyBot('赵六')
    try {
      await db.dataSource.query(
        `INSERT INTO channel_identity (channel, external_id, owner_id) SELECT 'wechat', $1, id FROM owner WHERE phone_key = '${phoneKey('13800000004')}'`,
        [owner.id],
      )
      await send('投诉', /投诉类别/)
      await send('1', /发生在哪里/)
      await send('1', /请描述/)
      await send('阳台玻璃有裂纹，下雨往里渗水', /照片/)
      const photo = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#2a6' } })
        .jpeg()
        .toBuffer()
      owner.say(FileBox.fromBase64(photo.toString('base64'), 'glass.jpg')).to(botUser)
      let file: { id: number; status: string } | undefined
      for (let i = 0; i < 300 && !file; i += 1) {
        ;[file] = await db.dataSource.query(
          `SELECT id::int, status FROM media_file WHERE channel = 'wechat' ORDER BY id DESC LIMIT 1`,
        )
        if (!file) await new Promise((resolve) => setTimeout(resolve, 10))
      }
      expect(file).toMatchObject({ status: 'pending' })
      const channel = new WechatyChannel(wechaty, silentLogger)
      const store = new FileMediaStore(mkdtempSync(path.join(tmpdir(), 'anju-wechaty-')))
      const fetcher = new MediaFetcher(
        db.dataSource,
        store,
        new Map([
          ['wechat', { fetch: (ref: string, _kind: string, max: number) => channel.fetchMedia(ref, max) }],
        ]),
        silentLogger,
        testClock, // the pipeline stamps the file with business time: the fetcher reads the same clock
      )
      await fetcher.run()
      const [kept] = await db.dataSource.query(
        `SELECT status, storage_key, content_type FROM media_file WHERE id = $1`,
        [file!.id],
      )
      expect(kept).toMatchObject({ status: 'stored', content_type: 'image/jpeg' })
      expect((await store.get(kept.storage_key))!.equals(photo)).toBe(true)
    } finally {
      await stop()
    }
  })
})
