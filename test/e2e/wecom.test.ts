import type { RunningApp } from '../../src/app'
import { issueToken } from '../../src/admin/auth'
import { startTestApp } from '../support/app'
import { CallbackCrypto } from '../../src/channels/wecom/callback-crypto'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { FakeWeCom } from '../support/fake-wecom'
import { startS3Server } from '../support/s3-server'
import sharp from 'sharp'

/** The official WeCom channels against a fake WeCom on loopback: real crypto, real HTTP, real Postgres. */
const KF = 'wkAnjuKf001'
let db: TestDatabase
let wecom: FakeWeCom
let app: RunningApp
let s3: Awaited<ReturnType<typeof startS3Server>>

beforeAll(async () => {
  db = await createTestDatabase()
  wecom = new FakeWeCom()
  await wecom.start()
  // Owners' media go to an S3-protocol server on loopback, as they would to MinIO, OSS or COS.
  s3 = await startS3Server()
  app = await startTestApp(db, { ...wecom.env(), ...s3.env })
})
afterAll(async () => {
  await app.shutdown()
  await wecom.stop()
  await s3.stop()
  await db.drop()
})

async function waitFor<T>(probe: () => T | undefined | null | false, what: string): Promise<T> {
  for (let i = 0; i < 1500; i += 1) {
    const value = probe()
    if (value) return value
    await app.outbox.settle()
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}

const count = async (sql: string, params: unknown[] = []) =>
  ((await db.dataSource.query(`SELECT count(*)::int AS n FROM (${sql}) q`, params)) as { n: number }[])[0].n

let msgId = 7_000_000_000_000_000
const staffText = (from: string, content: string, id = (msgId += 1)) => ({
  ToUserName: wecom.corpId,
  FromUserName: from,
  CreateTime: Math.floor(Date.now() / 1000),
  MsgType: 'text',
  Content: content,
  MsgId: String(id),
  AgentID: wecom.agentId,
})
const textsTo = (user: string) =>
  wecom.appMessages
    .filter((m) => m.touser === user)
    .map((m) => (m.text as { content: string } | undefined)?.content ?? JSON.stringify(m.template_card))

describe('app callback URL verification', () => {
  it('answers the official sample with the decrypted echostr', async () => {
    // WeCom's published vector (token QDG6eK, corp wx5823bf96d3bd56c7).
    const official = new CallbackCrypto(
      'QDG6eK',
      'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
      'wx5823bf96d3bd56c7',
    )
    const echostr = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=='
    expect(() =>
      official.verify('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', '1409659589', '263014780', echostr),
    ).not.toThrow()
    expect(official.open(echostr)).toBe('1616140317555161061')

    const sealed = wecom.crypto.seal('8731957209', '1795400000', 'n0nce')
    const query = new URLSearchParams({
      msg_signature: sealed.signature,
      timestamp: '1795400000',
      nonce: 'n0nce',
      echostr: sealed.ciphertext,
    })
    const response = await fetch(`${app.adminUrl}/wecom/app/callback?${query}`)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('8731957209')
    // Change the signature's first hex digit (to a different one, whatever it was).
    const forgedSignature = `${sealed.signature[0] === '0' ? '1' : '0'}${sealed.signature.slice(1)}`
    const forged = await fetch(
      `${app.adminUrl}/wecom/app/callback?${new URLSearchParams({ ...Object.fromEntries(query), msg_signature: forgedSignature })}`,
    )
    expect(forged.status).toBe(403)
  })
})

describe('app callback messages', () => {
  it('answers a staff command once, however often WeCom delivers it', async () => {
    const message = staffText('lina', '工单')
    const statuses = await Promise.all(
      [1, 2, 3, 4].map(() => wecom.callback(app.adminUrl, '/wecom/app/callback', message)),
    )
    expect(statuses.flat()).toEqual([200, 200, 200, 200])
    await waitFor(() => textsTo('lina').length > 0, 'the reply to lina')
    await new Promise((resolve) => setTimeout(resolve, 100))
    await app.outbox.settle()
    expect(textsTo('lina')).toHaveLength(1)
    expect(textsTo('lina')[0]).toMatch(/没有未结工单|未结工单/)
    expect(
      await count(`SELECT 1 FROM inbound_message WHERE channel = 'wecom-app' AND message_id = $1`, [
        message.MsgId,
      ]),
    ).toBe(1)
  })

  it('refuses forged, stale, misaddressed, malformed and oversized callbacks, storing nothing', async () => {
    const before = await count(`SELECT 1 FROM inbound_message`)
    const post = (tamper: Parameters<FakeWeCom['callback']>[3]) =>
      wecom.callback(app.adminUrl, '/wecom/app/callback', staffText('lina', '工单'), tamper)
    expect(await post({ signature: 'f'.repeat(40) })).toEqual([403])
    expect(await post({ timestamp: Math.floor(Date.now() / 1000) - 3600 })).toEqual([400])
    expect(await post({ toUserName: 'wwSomeoneElse' })).toEqual([400])
    expect(await post({ body: '<xml><Encrypt>not base64 at all' })).toEqual([400])
    expect(await post({ body: `<xml><Encrypt><![CDATA[${'A'.repeat(100_000)}]]></Encrypt></xml>` })).toEqual([
      413,
    ])
    const wrongCorp = new CallbackCrypto(wecom.token, wecom.aesKey, 'wwAnotherCorp')
    const sealed = wrongCorp.seal(
      '<xml><MsgType>text</MsgType></xml>',
      String(Math.floor(Date.now() / 1000)),
      'x',
    )
    const response = await fetch(
      `${app.adminUrl}/wecom/app/callback?msg_signature=${sealed.signature}&timestamp=${Math.floor(Date.now() / 1000)}&nonce=x`,
      {
        method: 'POST',
        body: `<xml><ToUserName>${wecom.corpId}</ToUserName><Encrypt>${sealed.ciphertext}</Encrypt></xml>`,
      },
    )
    expect(response.status).toBe(400)
    expect(await count(`SELECT 1 FROM inbound_message`)).toBe(before)
  })

  it('recovers from an expired token and from rate limits without losing a message', async () => {
    await wecom.callback(app.adminUrl, '/wecom/app/callback', staffText('wangqiang', '帮助'))
    await waitFor(() => textsTo('wangqiang').length === 1, 'first reply')
    const tokensBefore = wecom.gettokenCalls
    wecom.expireTokens()
    wecom.failNext('/cgi-bin/message/send', 45009, 1)
    wecom.failNext('/cgi-bin/message/send', 'http500', 1)
    await wecom.callback(app.adminUrl, '/wecom/app/callback', staffText('wangqiang', '工单'))
    await waitFor(() => textsTo('wangqiang').length === 2, 'reply after token expiry')
    expect(wecom.gettokenCalls).toBe(tokensBefore + 1)
  })
})

describe('a complaint over 微信客服, assigned to the ambassador with a card', () => {
  const OWNER = 'wmOwnerWangWu'
  const kfReplies = () => wecom.kfSent.filter((m) => m.touser === OWNER)
  const lastKfText = () => {
    const last = kfReplies().at(-1) as
      { text?: { content: string }; msgmenu?: { head_content: string } } | undefined
    return last?.text?.content ?? last?.msgmenu?.head_content ?? ''
  }
  const says = async (content: string, pattern: RegExp, menuId?: string) => {
    const before = kfReplies().length
    wecom.customerSays(KF, OWNER, content, menuId)
    expect(await wecom.callback(app.adminUrl, '/wecom/kf/callback', wecom.kfNotice(KF))).toEqual([200])
    return waitFor(
      () =>
        kfReplies()
          .slice(before)
          .some((m) => pattern.test(JSON.stringify(m))) && lastKfText(),
      String(pattern),
    )
  }

  it('binds, files by menu clicks, sends lina a card, and the click accepts the case', async () => {
    await says('你好', /个人信息保护提示/)
    await says('同意', /请输入购房时登记的手机号/)
    await says('13800000003', /楼栋和房号/)
    await says('2栋502', /我要投诉/)
    const menu = kfReplies().at(-1) as {
      msgtype: string
      msgmenu: { list: { click: { id: string; content: string } }[] }
    }
    expect(menu.msgtype).toBe('msgmenu')
    expect(menu.msgmenu.list[0].click).toEqual({ id: '1', content: '1. 我要投诉' })
    await says('1. 我要投诉', /投诉类别/, '1')
    await says('2. 物业服务', /发生在哪里/, '2')
    await says('1. 翠湖花园 2栋 502', /请描述/, '1')
    await says('物业费收据一直没有开具，催了三次', /照片/)
    await says('跳过', /请确认/)
    await says('是', /工单号/)
    const caseNo = /工单号 (TS\d{8}-\d{4})/.exec(lastKfText())?.[1] as string
    expect(caseNo).toBeDefined()

    // 王五's household is 王强's.
    const card = await waitFor(
      () =>
        wecom.appMessages.find((m) => m.msgtype === 'template_card' && JSON.stringify(m).includes(caseNo)),
      'the assignment card',
    )
    expect(card).toMatchObject({
      touser: 'wangqiang',
      template_card: { card_type: 'button_interaction', task_id: `case-${caseNo}` },
    })
    const click = {
      ToUserName: wecom.corpId,
      FromUserName: 'wangqiang',
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'event',
      Event: 'template_card_event',
      EventKey: `accept:${caseNo}`,
      TaskId: `case-${caseNo}`,
      CardType: 'button_interaction',
      ResponseCode: 'rc-123',
      AgentID: wecom.agentId,
    }
    expect(await wecom.callback(app.adminUrl, '/wecom/app/callback', click)).toEqual([200])
    expect(await wecom.callback(app.adminUrl, '/wecom/app/callback', click)).toEqual([200]) // WeCom's retry
    await waitFor(
      () => wecom.cardUpdates.length > 0 && textsTo('wangqiang').some((t) => t.includes('已接单')),
      'card update',
    )
    expect(wecom.cardUpdates).toEqual([
      {
        userids: ['wangqiang'],
        agentid: wecom.agentId,
        response_code: 'rc-123',
        button: { replace_name: '已接单' },
      },
    ])
    const [accepted] = await db.dataSource.query(`SELECT status FROM service_case WHERE case_no = $1`, [
      caseNo,
    ])
    expect(accepted.status).toBe('accepted')
  })

  it('holds a message the 48-hour rule forbids, tasks the ambassador, and delivers it when the owner writes', async () => {
    const [c] = await db.dataSource.query(
      `SELECT case_no FROM service_case WHERE intake_channel = 'wecom-kf' ORDER BY id DESC LIMIT 1`,
    )
    await db.dataSource.query(
      `UPDATE conversation SET last_inbound_at = now() - interval '49 hours' WHERE channel = 'wecom-kf' AND external_id = $1`,
      [`${KF}|${OWNER}`],
    )
    const sentBefore = kfReplies().length
    await wecom.callback(
      app.adminUrl,
      '/wecom/app/callback',
      staffText('wangqiang', `进展 ${c.case_no} 已联系财务，三天内寄出收据`),
    )
    await waitFor(
      () => textsTo('wangqiang').some((t) => t.includes('【待联系业主】')),
      'the task to reach the owner',
    )
    const [held] = await db.dataSource.query(
      `SELECT status, hold_reason FROM outbox WHERE channel = 'wecom-kf' AND payload->>'text' LIKE '%已联系财务%'`,
    )
    expect(held).toEqual({ status: 'held', hold_reason: 'KF_WINDOW_CLOSED' })
    expect(kfReplies()).toHaveLength(sentBefore)

    await says('请问我的收据寄出了吗', /已联系财务/)
    const texts = kfReplies()
      .slice(sentBefore)
      .map((m) => JSON.stringify(m))
    expect(texts[0]).toMatch(/有新进展：已联系财务，三天内寄出收据/)
  })

  it('hands the chat to the ambassador on 人工', async () => {
    await says('人工', /已通知客户大使/)
    await waitFor(() => wecom.kfTransfers.length > 0, 'the kf hand-over')
    expect(wecom.kfTransfers.at(-1)).toEqual({
      open_kfid: KF,
      external_userid: OWNER,
      service_state: 3,
      servicer_userid: 'wangqiang',
    })
  })

  it('keeps the bot quiet while the servicer serves, records the servicer in the transcript, and hands back on release', async () => {
    const [{ id }] = await db.dataSource.query(
      `SELECT id FROM conversation WHERE channel = 'wecom-kf' AND external_id = $1`,
      [`${KF}|${OWNER}`],
    )
    const token = await issueToken(db.dataSource, { name: '管理员', role: 'admin', ambassadorId: null })
    const api = async (path: string, method = 'GET') => {
      const response = await fetch(`${app.adminUrl}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}` },
      })
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return (await response.json()) as any
    }

    // The owner writes on: the bot keeps quiet, and the ambassador reads it on WeCom.
    const repliesBefore = kfReplies().length
    wecom.customerSays(KF, OWNER, '卫生间漏水，什么时候能来修？')
    await wecom.callback(app.adminUrl, '/wecom/kf/callback', wecom.kfNotice(KF))
    await waitFor(
      () => textsTo('wangqiang').some((t) => t.includes('卫生间漏水')),
      'the owner’s message to staff',
    )
    expect(kfReplies()).toHaveLength(repliesBefore)

    // 王强 answers in the WeCom client: WeCom returns it with origin 5, and the transcript shows it as his.
    wecom.servicerSays(KF, OWNER, 'wangqiang', '王先生您好，师傅下午两点上门。')
    await wecom.callback(app.adminUrl, '/wecom/kf/callback', wecom.kfNotice(KF))
    let transcript: { items: { direction: string; author: string; text: string }[] } = { items: [] }
    for (let i = 0; i < 200 && !transcript.items.some((m) => m.author === '王强'); i += 1) {
      transcript = await api(`/conversations/${id}/messages`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(transcript.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ direction: 'in', author: 'owner', text: '卫生间漏水，什么时候能来修？' }),
        expect.objectContaining({ direction: 'out', author: '王强', text: '王先生您好，师傅下午两点上门。' }),
      ]),
    )
    expect(transcript.items.filter((m) => m.direction === 'out').at(-1)).toMatchObject({ author: '王强' })
    // A servicer's message is not ours to send again.
    expect(wecom.kfSent.some((m) => JSON.stringify(m).includes('师傅下午两点上门'))).toBe(false)

    // Released from the console: the servicer's session is ended so that the bot may answer again.
    await api(`/conversations/${id}/release`, 'POST')
    await waitFor(() => wecom.kfTransfers.at(-1)?.service_state === 4, 'the session ended')
    await says('菜单', /我要投诉/)
  })

  it('acknowledges a voice note over 微信客服 and hands the chat to the ambassador', async () => {
    const before = kfReplies().length
    const transfers = wecom.kfTransfers.length
    wecom.customerSends(KF, OWNER, { msgtype: 'voice', voice: { media_id: 'voice-media-7c1' } })
    await wecom.callback(app.adminUrl, '/wecom/kf/callback', wecom.kfNotice(KF))
    await waitFor(
      () =>
        kfReplies()
          .slice(before)
          .some((m) => /已收到您的语音[\s\S]*王强/.test(JSON.stringify(m))),
      'the acknowledgement',
    )
    await waitFor(() => wecom.kfTransfers.length > transfers, 'the kf hand-over')
    expect(wecom.kfTransfers.at(-1)).toMatchObject({ service_state: 3, servicer_userid: 'wangqiang' })
    await waitFor(() => textsTo('wangqiang').some((t) => t.includes('「发来语音」')), 'the ambassador told')
    const [stored] = await db.dataSource.query(
      `SELECT media FROM inbound_message WHERE channel = 'wecom-kf' AND media IS NOT NULL ORDER BY id DESC LIMIT 1`,
    )
    expect(stored.media).toEqual({ kind: 'voice', ref: 'wecom-media:voice-media-7c1' })
  })

  it('keeps a photo sent with a complaint: stored, shown to the ambassador, and still served after WeCom forgets it', async () => {
    await says('菜单', /我要投诉/)
    await says('1. 我要投诉', /投诉类别/, '1')
    await says('1. 工程质量', /发生在哪里/, '1')
    await says('1. 翠湖花园 2栋 502', /请描述/, '1')
    await says('客厅墙面有一条很长的裂缝', /照片/)
    const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#8a6' } })
      .jpeg()
      .toBuffer()
    const mediaId = wecom.holdMedia(photo, 'image/jpeg', 'crack.jpg')
    const before = kfReplies().length
    wecom.customerSends(KF, OWNER, { msgtype: 'image', image: { media_id: mediaId } })
    await wecom.callback(app.adminUrl, '/wecom/kf/callback', wecom.kfNotice(KF))
    await waitFor(
      () =>
        kfReplies()
          .slice(before)
          .some((m) => /已收到第 1 张照片/.test(JSON.stringify(m))),
      'the photo taken',
    )
    await says('好了', /请确认/)
    await says('是', /工单号/)
    const caseNo = /工单号 (TS\d{8}-\d{4})/.exec(lastKfText())?.[1] as string

    await app.media.run()
    const token = await issueToken(db.dataSource, {
      name: '王强',
      role: 'ambassador',
      ambassadorId: (
        await db.dataSource.query(`SELECT id FROM ambassador WHERE wecom_user_id = 'wangqiang'`)
      )[0].id,
    })
    const detail = (await (
      await fetch(`${app.adminUrl}/api/v1/cases/${caseNo}`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { media: { url: string; thumbnailUrl: string }[] }
    expect(detail.media).toEqual([
      expect.objectContaining({ kind: 'image', status: 'stored', contentType: 'image/jpeg' }),
    ])
    const full = await fetch(`${app.adminUrl}${detail.media[0].url}`)
    expect(full.status).toBe(200)
    expect(full.headers.get('content-type')).toBe('image/jpeg')
    expect(full.headers.get('x-content-type-options')).toBe('nosniff')
    expect(Buffer.from(await full.arrayBuffer()).equals(photo)).toBe(true)
    const thumbnail = await fetch(`${app.adminUrl}${detail.media[0].thumbnailUrl}`)
    expect((await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()).width).toBe(320)

    // Three days on, WeCom has forgotten the media_id: the photo is still ours to show.
    wecom.forgetMedia(mediaId)
    const again = await fetch(`${app.adminUrl}${detail.media[0].url}`)
    expect(Buffer.from(await again.arrayBuffer()).equals(photo)).toBe(true)
    // A link altered to reach another file, or its thumbnail, is refused.
    const forged = detail.media[0].url.replace(
      /\/media\/(\d+)/,
      (_: string, id: string) => `/media/${Number(id) + 1}`,
    )
    expect((await fetch(`${app.adminUrl}${forged}`)).status).toBe(403)
    expect((await fetch(`${app.adminUrl}${detail.media[0].url.replace('v=full', 'v=thumb')}`)).status).toBe(
      403,
    )
    // 李娜 is not this household's ambassador: she gets no case, so no link.
    const lina = await issueToken(db.dataSource, {
      name: '李娜',
      role: 'ambassador',
      ambassadorId: (await db.dataSource.query(`SELECT id FROM ambassador WHERE wecom_user_id = 'lina'`))[0]
        .id,
    })
    expect(
      (
        await fetch(`${app.adminUrl}/api/v1/cases/${caseNo}`, {
          headers: { authorization: `Bearer ${lina}` },
        })
      ).status,
    ).toBe(404)
  })
})

describe('per-member limits of app messages', () => {
  it('spreads a burst over time instead of letting WeCom drop messages', async () => {
    await db.dataSource.query(
      `INSERT INTO outbox (channel, recipient, payload)
       SELECT 'wecom-app', 'chenjing', jsonb_build_object('kind', 'text', 'text', '通知 ' || n) FROM generate_series(1, 35) n`,
    )
    await app.outbox.settle()
    expect(textsTo('chenjing')).toHaveLength(30)
    expect(wecom.droppedByLimit).toBe(0)
    // The 31st waits for the minute to free up; the rest queue behind it in order. (The app's own
    // periodic round may be holding it for a moment, so look until its deferral is written.)
    let waiting: { unsent: number; deferred: boolean } = { unsent: 0, deferred: false }
    for (let i = 0; i < 100 && !waiting.deferred; i += 1) {
      ;[waiting] = await db.dataSource.query(
        `SELECT count(*)::int AS unsent,
                bool_or(status = 'pending' AND last_error LIKE '%limit%' AND next_attempt_at > now() + interval '30 seconds') AS deferred
           FROM outbox WHERE recipient = 'chenjing' AND status <> 'sent'`,
      )
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(waiting).toEqual({ unsent: 5, deferred: true })
    await app.outbox.settle()
    expect(textsTo('chenjing')).toHaveLength(30)
  })
})
