import type { DataSource } from 'typeorm'
import { OutboxDispatcher } from '../../src/bot/outbox'
import { WeComApi, WeComError } from '../../src/channels/wecom/api-client'
import { WeComKfChannel } from '../../src/channels/wecom/kf.channel'
import { PgCredentialCache } from '../../src/channels/wecom/credential-store'
import { PgRateBudget } from '../../src/channels/wecom/rate-budget-store'
import { bucketFor, type BucketShape } from '../../src/domain/rate-budget'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { FakeWeCom } from '../support/fake-wecom'
import { silentLogger } from '../support/harness'

let db: TestDatabase
let wecom: FakeWeCom
beforeAll(async () => {
  db = await createTestDatabase()
  wecom = new FakeWeCom()
  await wecom.start()
})
afterAll(async () => {
  await wecom.stop()
  await db.drop()
})

const client = (dataSource = db.dataSource) =>
  new WeComApi({
    baseUrl: wecom.url,
    corpId: wecom.corpId,
    secret: wecom.secret,
    credentials: new PgCredentialCache(dataSource),
    logger: silentLogger,
    backoffMs: () => 1,
  })

describe('WeCom API client', () => {
  it('fetches one token for many concurrent calls on two instances', async () => {
    await db.dataSource.query(`DELETE FROM wecom_credential`)
    const before = wecom.gettokenCalls
    const one = client()
    const two = client(await db.connectAgain())
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? one : two).post('/cgi-bin/message/send', {
          touser: `member-${i}`,
          msgtype: 'text',
          text: { content: 'x' },
        }),
      ),
    )
    expect(wecom.gettokenCalls - before).toBe(1)
  })

  it('refreshes once when WeCom revokes the token, then carries on', async () => {
    const api = client()
    await api.post('/cgi-bin/message/send', { touser: 'a', msgtype: 'text', text: { content: '1' } })
    const before = wecom.gettokenCalls
    wecom.expireTokens()
    await Promise.all(
      [1, 2, 3].map((n) => api.post('/cgi-bin/message/send', { touser: 'a', text: { content: String(n) } })),
    )
    expect(wecom.gettokenCalls - before).toBe(1)
  })

  it('gives up with a final error on a permanent errcode, and a retryable one when limits persist', async () => {
    const api = client()
    wecom.failNext('/cgi-bin/message/send', 48002, 1)
    await expect(api.post('/cgi-bin/message/send', {})).rejects.toMatchObject({
      errcode: 48002,
      retryable: false,
    })
    wecom.failNext('/cgi-bin/message/send', 45009, 10)
    const error = await api.post('/cgi-bin/message/send', {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WeComError)
    expect(error).toMatchObject({ errcode: 45009, retryable: true })
    wecom.failNext('/cgi-bin/message/send', 45009, 0)
  })
})

describe('微信客服 sync', () => {
  it('lets one instance pull a kf account at a time and keeps the cursor', async () => {
    for (let i = 0; i < 5; i += 1) wecom.customerSays('wkSync', `wmCustomer${i}`, `消息 ${i}`)
    const kfA = new WeComKfChannel(client(), db.dataSource, silentLogger)
    const kfB = new WeComKfChannel(client(), await db.connectAgain(), silentLogger)
    const seen: string[] = []
    const accept = async (message: { messageId: string }) => {
      seen.push(message.messageId)
      await new Promise((resolve) => setTimeout(resolve, 20))
      return 'accepted' as const
    }
    const [a, b] = await Promise.all([kfA.sync('wkSync', 'tok', accept), kfB.sync('wkSync', 'tok', accept)])
    expect([a.skipped, b.skipped].sort()).toEqual([false, true])
    expect(seen).toHaveLength(5)
    // The cursor is kept: a second pull brings only what is new.
    wecom.customerSays('wkSync', 'wmCustomer9', '新消息')
    const again = await kfA.sync('wkSync', 'tok', accept)
    expect(again).toEqual({ pulled: 1, accepted: 1, skipped: false })
  })
})

describe('a WeCom outage', () => {
  it('retries with backoff through 5xx, 45009 and a revoked token, then delivers everything once', async () => {
    const { WeComAppChannel } = await import('../../src/channels/wecom/app.channel')
    const { OutboxDispatcher } = await import('../../src/bot/outbox')
    await db.dataSource.query(`DELETE FROM outbox`)
    await db.dataSource.query(
      `INSERT INTO outbox (channel, recipient, payload)
       SELECT 'wecom-app', 'member-' || (n % 3), jsonb_build_object('kind', 'text', 'text', '通知 ' || n)
         FROM generate_series(1, 12) n`,
    )
    const sentBefore = wecom.appMessages.length
    const outbox = new OutboxDispatcher(
      db.dataSource,
      new Map([['wecom-app', new WeComAppChannel(client(), 1000002, db.dataSource)]]),
      silentLogger,
      { maxAttempts: 8 },
    )
    // For a while every call fails one way or another.
    wecom.failNext('/cgi-bin/message/send', 'http500', 12)
    wecom.failNext('/cgi-bin/message/send', 45009, 6)
    wecom.failNext('/cgi-bin/message/send', -1, 6)
    wecom.expireTokens()
    for (let round = 0; round < 12; round += 1) {
      await outbox.settle()
      // Time passes: whatever is backing off becomes due.
      await db.dataSource.query(`UPDATE outbox SET next_attempt_at = now() WHERE status = 'pending'`)
    }
    const states = await db.dataSource.query(`SELECT status, count(*)::int AS n FROM outbox GROUP BY status`)
    expect(states).toEqual([{ status: 'sent', n: 12 }])
    // The outage outlasted the client's own retries: the outbox had to try again later.
    const [{ most }] = await db.dataSource.query(`SELECT max(attempts)::int AS most FROM outbox`)
    expect(most).toBeGreaterThan(1)
    const texts = wecom.appMessages.slice(sentBefore).map((m) => (m.text as { content: string }).content)
    expect(texts.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `通知 ${i + 1}`).sort())
  })
})

describe('WeCom’s frequency limits, kept by two instances together', () => {
  const customers = Array.from({ length: 60 }, (_, i) => `wmPace${String(i).padStart(2, '0')}`)

  /** An instance's kf delivery: its own API client and budget, over its own pool. */
  async function instance(dataSource: DataSource, shape: BucketShape, blockSeconds = 60) {
    const api = new WeComApi({
      baseUrl: wecom.url,
      corpId: wecom.corpId,
      secret: wecom.secret,
      credentials: new PgCredentialCache(dataSource),
      budget: new PgRateBudget(dataSource, shape),
      blockSeconds,
      logger: silentLogger,
      backoffMs: () => 1,
    })
    const kf = new WeComKfChannel(api, dataSource, silentLogger)
    return new OutboxDispatcher(dataSource, new Map([[kf.name, kf]]), silentLogger, { maxAttempts: 3 })
  }

  /** Each customer wrote in the last hour, so the 48-hour rule lets one reply through. */
  async function queueOneReplyEach(tag: string) {
    await db.dataSource.query(`DELETE FROM outbox`)
    for (const customer of customers) wecom.customerSays('wkPace', customer, '你好')
    await db.dataSource.query(
      `INSERT INTO conversation (channel, external_id, last_inbound_at)
       SELECT 'wecom-kf', 'wkPace|' || c, now() FROM unnest($1::text[]) c
       ON CONFLICT (channel, external_id) DO UPDATE SET last_inbound_at = now()`,
      [customers],
    )
    await db.dataSource.query(
      `INSERT INTO outbox (channel, recipient, payload)
       SELECT 'wecom-kf', 'wkPace|' || c, jsonb_build_object('kind', 'text', 'text', $2 || c) FROM unnest($1::text[]) c`,
      [customers, tag],
    )
  }

  /** Both instances deliver until every reply is out, as the outbox sweep would, every 50 ms. */
  async function deliverAll(instances: OutboxDispatcher[]) {
    for (let round = 0; round < 400; round += 1) {
      await Promise.all(instances.map((outbox) => outbox.settle()))
      const [{ left }] = await db.dataSource.query(
        `SELECT count(*)::int AS left FROM outbox WHERE status IN ('pending', 'sending')`,
      )
      if (left === 0) return
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  const sendsOf = (tag: string) =>
    wecom.kfSent.filter((m) => String((m.text as { content: string }).content).startsWith(tag))

  it('paces a burst to the shared budget instead of letting WeCom refuse it', async () => {
    // 10 calls a second after a first 30: 60 replies take about three seconds, whichever instance sends.
    const shape = bucketFor({ perMinute: 700, perHour: 40_000 })
    expect(shape).toEqual({ perSecond: 10, capacity: 30 })
    await db.dataSource.query(`DELETE FROM wecom_rate_budget`)
    await queueOneReplyEach('进度A ')
    const started = Date.now()
    await deliverAll([await instance(db.dataSource, shape), await instance(await db.connectAgain(), shape)])
    const seconds = (Date.now() - started) / 1000

    expect(sendsOf('进度A ')).toHaveLength(60)
    expect(wecom.log.filter((call) => call.at >= started && call.errcode === 45009)).toEqual([])
    expect(seconds).toBeGreaterThan(2.5)
    const sendTimes = wecom.log
      .filter((c) => c.api === '/cgi-bin/kf/send_msg' && c.at >= started)
      .map((c) => c.at)
    const inFirstSecond = sendTimes.filter((at) => at < started + 1000).length
    expect(inFirstSecond).toBeLessThanOrEqual(shape.capacity + shape.perSecond)
  })

  it('leaves an API alone once WeCom answers 45009, and delivers everything without wearing messages out', async () => {
    // Configured above what WeCom really allows (here 20 a "minute" of one second): WeCom refuses some.
    const shape = { perSecond: 10, capacity: 30 }
    await db.dataSource.query(`DELETE FROM wecom_rate_budget`)
    await queueOneReplyEach('进度B ')
    wecom.limitFrequency({ perMinute: 20, minuteMs: 1000, blockMs: 1000 })
    const started = Date.now()
    try {
      await deliverAll([
        await instance(db.dataSource, shape, 1),
        await instance(await db.connectAgain(), shape, 1),
      ])
    } finally {
      wecom.limitFrequency()
    }
    expect(sendsOf('进度B ')).toHaveLength(60)
    // Waiting for the limit is not a failed attempt.
    const states = await db.dataSource.query(
      `SELECT status, max(attempts)::int AS attempts FROM outbox GROUP BY 1`,
    )
    expect(states).toEqual([{ status: 'sent', attempts: 1 }])
    // The shared budget bounds the burst, and after a refusal the API is left alone: a few refusals,
    // not one per message and retry.
    const refused = wecom.log.filter((c) => c.at >= started && c.errcode === 45009)
    expect(refused.length).toBeGreaterThan(0)
    expect(refused.length).toBeLessThanOrEqual(15)
  }, 20_000)
})
