import { phoneLookupKey as phoneKey } from '../../src/domain/phone-vault'
import { randomBytes } from 'node:crypto'
import type { RunningApp } from '../../src/app'
import { startTestApp } from '../support/app'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { FakeWeCom } from '../support/fake-wecom'
import { botInstance, say, seedAndBind } from '../support/harness'

/**
 * Fuzzing the two doors strangers can knock on: the WeCom callback and the dialogs. Bounded in count,
 * seeded for repeatability, loopback only. Whatever comes in: no 500, no crash, nothing stored that
 * should not be, and the owner always gets an answer.
 */
let seed = 20261123
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31
  return seed / 2 ** 31
}
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]

const HOSTILE = [
  "'; DROP TABLE service_case; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '${process.exit(1)}',
  '{{7*7}}',
  '\u0000\u0001\u0002',
  '😀'.repeat(300),
  '\u202e反向文字',
  'A'.repeat(3000),
  '取消',
  '返回',
  '１２３',
  '   ',
  '%00%0a',
  '../../../../etc/passwd',
]

describe('hostile input', () => {
  let db: TestDatabase
  let wecom: FakeWeCom
  let app: RunningApp

  beforeAll(async () => {
    db = await createTestDatabase()
    wecom = new FakeWeCom()
    await wecom.start()
    app = await startTestApp(db, wecom.env())
  })
  afterAll(async () => {
    await app.shutdown()
    await wecom.stop()
    await db.drop()
  })

  it('answers 300 mangled callbacks with 4xx or an empty 200, never 500, storing only valid messages', async () => {
    const before = await db.dataSource.query(`SELECT count(*)::int AS n FROM inbound_message`)
    const statuses = new Map<number, number>()
    let valid = 0
    for (let i = 0; i < 300; i += 1) {
      const kind = i % 6
      const timestamp = String(Math.floor(Date.now() / 1000))
      const nonce = randomBytes(4).toString('hex')
      let body: string
      let signature: string
      if (kind === 0) {
        body = randomBytes(Math.floor(random() * 2000)).toString('latin1')
        signature = randomBytes(20).toString('hex')
      } else if (kind === 1) {
        // Correctly signed and encrypted, but the plaintext is garbage.
        const sealed = wecom.crypto.seal(randomBytes(64).toString('base64'), timestamp, nonce)
        body = `<xml><ToUserName>${wecom.corpId}</ToUserName><Encrypt>${sealed.ciphertext}</Encrypt></xml>`
        signature = sealed.signature
      } else if (kind === 2) {
        body = `<xml><Encrypt><![CDATA[${pick(HOSTILE)}]]></Encrypt><ToUserName>${pick(HOSTILE)}</ToUserName></xml>`
        signature = 'a'.repeat(40)
      } else if (kind === 3) {
        body = `<xml><ToUserName>${wecom.corpId}</ToUserName>${'<x>'.repeat(500)}`
        signature = 'b'.repeat(40)
      } else {
        // Valid messages carrying hostile text: accepted, answered, stored as text.
        valid += 1
        const inner = `<xml><ToUserName><![CDATA[${wecom.corpId}]]></ToUserName><FromUserName><![CDATA[lina]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${pick(HOSTILE).replace(/]]>/g, '')}]]></Content><MsgId>${900000 + i}</MsgId></xml>`
        const sealed = wecom.crypto.seal(inner, timestamp, nonce)
        body = `<xml><ToUserName>${wecom.corpId}</ToUserName><Encrypt>${sealed.ciphertext}</Encrypt></xml>`
        signature = sealed.signature
      }
      const response = await fetch(
        `${app.adminUrl}/wecom/app/callback?msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`,
        { method: 'POST', body, headers: { 'content-type': 'text/xml' } },
      )
      await response.arrayBuffer()
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
    }
    expect(Object.fromEntries(statuses)).not.toHaveProperty('500')
    expect([...statuses.keys()].every((status) => status === 200 || (status >= 400 && status < 500))).toBe(
      true,
    )
    expect(statuses.get(200)).toBe(valid)
    await app.pipeline.idle()
    const after = await db.dataSource.query(`SELECT count(*)::int AS n FROM inbound_message`)
    expect(after[0].n - before[0].n).toBe(valid)
    // The schema survived the injection strings.
    expect(
      (await db.dataSource.query(`SELECT count(*)::int AS n FROM service_case`))[0].n,
    ).toBeGreaterThanOrEqual(0)
  }, 60_000)

  it('keeps every owner conversation answering through 400 random inputs', async () => {
    await seedAndBind(db.dataSource, { 'wx-fuzz': '13800000001' })
    const bot = botInstance(db.dataSource)
    const words = [
      '投诉',
      '报修',
      '1',
      '2',
      '3',
      '9',
      '是',
      '否',
      '跳过',
      '菜单',
      '帮助',
      '人工',
      '工单',
      '回访',
      '工程进度告知函',
    ]
    for (let i = 0; i < 400; i += 1) {
      const input = random() < 0.5 ? pick(words) : pick(HOSTILE)
      const reply = await say(bot, 'wx-fuzz', input)
      // After 人工 the bot keeps quiet on purpose: staff have the conversation until 菜单 or 取消.
      const [{ withStaff }] = await db.dataSource.query(
        `SELECT handed_off_at IS NOT NULL AS "withStaff" FROM conversation WHERE external_id = 'wx-fuzz'`,
      )
      if (reply.trim() === '' && !withStaff)
        throw new Error(`no answer to input #${i}: ${JSON.stringify(input)}`)
    }
    const [failed] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM inbound_message WHERE status <> 'done' AND channel = 'test'`,
    )
    expect(failed.n).toBe(0)
    // Nothing a dialog stored contains markup it did not escape: it is stored as the owner typed it, as text.
    const [tables] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'service_case'`,
    )
    expect(tables.n).toBe(1)
  }, 120_000)

  it('stores what owners type without terminal escapes or control characters, keeping line breaks', async () => {
    const bot = botInstance(db.dataSource)
    await seedAndBind(db.dataSource, { 'wx-escape': '13800000003' })
    const reply = await say(
      bot,
      'wx-escape',
      '投诉',
      '2',
      '1',
      '电梯\u001b[2J\u001b[31m停了\u0007\b\r\n三天\u202e没人修\rend',
      '跳过',
      '是',
    )
    expect(reply).toMatch(/工单号/)
    const [filed] = await db.dataSource.query(
      `SELECT description FROM service_case c JOIN owner o ON o.id = c.owner_id
        WHERE o.phone_key = '${phoneKey('13800000003')}' ORDER BY c.id DESC LIMIT 1`,
    )
    expect(filed.description).toBe('电梯[2J[31m停了\n三天没人修\nend')
    const stored = await db.dataSource.query(
      `SELECT text FROM inbound_message WHERE text ~ '[\\x01-\\x09\\x0b-\\x1f\\x7f]'`,
    )
    expect(stored).toEqual([])
  })
})
