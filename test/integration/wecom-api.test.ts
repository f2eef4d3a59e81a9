import { WeComApi, WeComError } from '../../src/bot/wecom/api-client'
import { WeComKfChannel } from '../../src/bot/wecom/kf.channel'
import { PgCredentialCache } from '../../src/db/credential-cache'
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
    const { WeComAppChannel } = await import('../../src/bot/wecom/app.channel')
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
    wecom.failNext('/cgi-bin/message/send', 'http500', 6)
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
