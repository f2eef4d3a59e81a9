import { phoneLookupKey as phoneKey } from '../../src/domain/phone-vault'
import type { RunningApp } from '../../src/app'
import { issueToken } from '../../src/admin/auth'
import { DEFAULT_RETENTION_DAYS } from '../../src/domain/retention'
import { applyRetention } from '../../src/services/retention/retention'
import { FileMediaStore } from '../../src/services/media/media-store'
import { startTestApp } from '../support/app'
import { testClock } from '../support/clock'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { botInstance, say, type BotInstance } from '../support/harness'

/**
 * Personal data as the PIPL asks: a resale ends the old owner's access at once, a person's export holds
 * their data and nobody else's, deletion anonymises, and retention removes old chat but keeps cases.
 */
const ADMIN = 'personal-data-admin-token-0123456789'
let db: TestDatabase
let app: RunningApp
let bot: BotInstance
const tokens: Record<string, string> = { admin: ADMIN }

beforeAll(async () => {
  db = await createTestDatabase()
  app = await startTestApp(db, { ADMIN_TOKEN: ADMIN })
  bot = botInstance(db.dataSource)
  await db.dataSource.query(
    `INSERT INTO channel_identity (channel, external_id, owner_id)
     SELECT 'test', 'wx-zhang-pd', id FROM owner WHERE phone_key = '${phoneKey('13800000001')}'
     UNION ALL SELECT 'test', 'wx-limei-pd', id FROM owner WHERE phone_key = '${phoneKey('13800000002')}'`,
  )
  const lina = (await db.dataSource.query(`SELECT id FROM ambassador WHERE wecom_user_id = 'lina'`))[0].id
  tokens.lina = await issueToken(db.dataSource, { name: '李娜', role: 'ambassador', ambassadorId: lina })
})
afterAll(async () => {
  await app.shutdown()
  await db.drop()
})

async function api(who: string, path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${app.adminUrl}/api/v1${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, json: (await response.json()) as any }
}
const ownerId = async (phone: string) =>
  (await db.dataSource.query(`SELECT id FROM owner WHERE phone_key = $1`, [phoneKey(phone)]))[0].id as number
const householdId = async () =>
  (await db.dataSource.query(`SELECT id FROM household WHERE code = 'CUIHU-H0001'`))[0].id as number

describe('a person’s data', () => {
  let zhangCase: string
  let limeiCase: string

  beforeAll(async () => {
    zhangCase = /工单号 (TS\d{8}-\d{4})/.exec(
      await say(bot, 'wx-zhang-pd', '投诉', '1', '1', '张三写的：主卧窗户关不严漏风', '跳过', '是'),
    )![1]
    limeiCase = /工单号 (TS\d{8}-\d{4})/.exec(
      await say(bot, 'wx-limei-pd', '投诉', '2', '1', '李梅写的：楼道灯坏了一周', '跳过', '是'),
    )![1]
  })

  it('exports everything held about one person, and nothing of their spouse’s', async () => {
    const exported = await api('admin', `/owners/${await ownerId('13800000001')}/export`)
    expect(exported.status).toBe(200)
    const text = JSON.stringify(exported.json)
    expect(exported.json.owner).toMatchObject({
      name: '张三',
      phone: '13800000001',
      householdCode: 'CUIHU-H0001',
    })
    // His WeChat here, and the demo console he also chats on.
    expect(exported.json.identities).toEqual([
      expect.objectContaining({ channel: 'console', externalId: 'demo-owner' }),
      expect.objectContaining({ channel: 'test', externalId: 'wx-zhang-pd' }),
    ])
    expect(exported.json.cases.map((c: { caseNo: string }) => c.caseNo)).toContain(zhangCase)
    expect(text).toContain('张三写的：主卧窗户关不严漏风')
    expect(
      exported.json.messages.some(
        (m: { direction: string; text: string }) => m.direction === 'in' && m.text === '投诉',
      ),
    ).toBe(true)
    // The same household, another person: none of it.
    expect(text).not.toContain('李梅写的')
    expect(text).not.toContain(limeiCase)
    expect(text).not.toContain('13800000002')
    // A copy of someone's data is not a single ambassador's to make.
    expect((await api('lina', `/owners/${await ownerId('13800000001')}/export`)).status).toBe(403)
    const [audited] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'owner.export'`,
    )
    expect(audited.n).toBe(1)
  })

  it('corrects a record on request, refusing a phone another owner of the household has', async () => {
    const id = await ownerId('13800000002')
    expect((await api('lina', `/owners/${id}`, { method: 'PATCH', body: { name: '李梅梅' } })).status).toBe(
      200,
    )
    expect(
      (await api('lina', `/owners/${id}`, { method: 'PATCH', body: { phone: '13800000001' } })).status,
    ).toBe(409)
    expect((await api('lina', `/owners/${id}`, { method: 'PATCH', body: { phone: '12345' } })).status).toBe(
      400,
    )
    expect((await db.dataSource.query(`SELECT name FROM owner WHERE id = $1`, [id]))[0].name).toBe('李梅梅')
  })
})

describe('a resale', () => {
  it('ends the old owner’s access at once, and the new owner binds fresh to the household’s history', async () => {
    expect(await say(bot, 'wx-zhang-pd', '我的工单')).toMatch(/TS\d{8}-\d{4}/)
    const zhang = await ownerId('13800000001')
    const ended = await api('lina', `/owners/${zhang}/end`, { body: { reason: 'resale' } })
    expect(ended).toEqual({ status: 200, json: { identitiesUnbound: 2 } })
    expect((await api('lina', `/owners/${zhang}/end`, { body: { reason: 'resale' } })).status).toBe(409)

    // The old owner's WeChat is a stranger now: no cases, no letters, a binding prompt.
    const after = await say(bot, 'wx-zhang-pd', '我的工单')
    expect(after).not.toMatch(/TS\d{8}-\d{4}/)
    expect(after).toMatch(/需要先核对您的业主身份/)
    // … and the old owner's phone no longer binds.
    expect(await say(bot, 'wx-zhang-pd', '同意', '13800000001', '3栋1201')).toMatch(/与档案不一致/)

    // The buyer is added to the household file and binds with their own phone.
    const added = await api('lina', `/households/${await householdId()}/owners`, {
      body: { name: '王小明', phone: '139 0000 1111', relation: '本人' },
    })
    expect(added.status).toBe(201)
    expect(await say(bot, 'wx-buyer-pd', '你好', '同意', '13900001111', '3栋1201')).toMatch(
      /核对成功，王小明您好/,
    )
    expect(await say(bot, 'wx-buyer-pd', '我的工单')).toMatch(/TS\d{8}-\d{4}/)
    const file = await api('lina', `/households/${await householdId()}`)
    expect(file.json.owners).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: '张三', endedReason: 'resale' })]),
    )
  })
})

describe('an owner’s requests in chat', () => {
  it('shows what is kept on 查看我的信息 and unbinds on 解绑, withdrawing the consent', async () => {
    await db.dataSource.query(
      `INSERT INTO privacy_consent (channel, external_id, notice_version, agreed_at, owner_id)
       SELECT 'test', 'wx-wangwu-pd', '2026-12', now(), id FROM owner WHERE phone_key = '${phoneKey('13800000003')}';
       INSERT INTO channel_identity (channel, external_id, owner_id)
       SELECT 'test', 'wx-wangwu-pd', id FROM owner WHERE phone_key = '${phoneKey('13800000003')}'`,
    )
    const mine = await say(bot, 'wx-wangwu-pd', '查看我的信息')
    expect(mine).toMatch(/姓名：王五\n手机号：138\*\*\*\*0003/)
    expect(mine).toMatch(/2026-12 版/)
    expect(mine).not.toMatch(/13800000003/)
    expect(await say(bot, 'wx-wangwu-pd', '解绑')).toMatch(/确认解绑吗/)
    expect(await say(bot, 'wx-wangwu-pd', '是')).toMatch(/已解除本微信的绑定/)
    expect(
      await db.dataSource.query(`SELECT 1 FROM channel_identity WHERE external_id = 'wx-wangwu-pd'`),
    ).toEqual([])
    const [consent] = await db.dataSource.query(
      `SELECT withdrawn_at IS NOT NULL AS withdrawn FROM privacy_consent WHERE external_id = 'wx-wangwu-pd'`,
    )
    expect(consent.withdrawn).toBe(true)
    expect(await say(bot, 'wx-wangwu-pd', '查看我的信息')).toMatch(/您尚未绑定业主身份/)
  })
})

describe('deletion and retention', () => {
  it('anonymises a person on request: name, phone, identities and words gone; cases kept', async () => {
    const id = await ownerId('13800000002')
    expect((await api('lina', `/owners/${id}/anonymise`, { body: {} })).status).toBe(403)
    const done = await api('admin', `/owners/${id}/anonymise`, { body: {} })
    expect(done.status).toBe(200)
    const [owner] = await db.dataSource.query(
      `SELECT name, phone, phone_enc, phone_key FROM owner WHERE id = $1`,
      [id],
    )
    expect(owner).toEqual({ name: '已注销业主', phone: null, phone_enc: '', phone_key: `anonymised:${id}` })
    expect(await db.dataSource.query(`SELECT 1 FROM channel_identity WHERE owner_id = $1`, [id])).toEqual([])
    const [words] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM inbound_message m JOIN conversation c ON c.id = m.conversation_id
        WHERE c.external_id = 'wx-limei-pd' AND m.text IS NOT NULL`,
    )
    expect(words.n).toBe(0)
    const [kept] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM service_case WHERE owner_id = $1`,
      [id],
    )
    expect(kept.n).toBe(1)
  })

  it('removes chat older than its retention with a clock the test sets, keeps cases, and reports it on /metrics', async () => {
    const casesBefore = (await db.dataSource.query(`SELECT count(*)::int AS n FROM service_case`))[0].n
    const messagesBefore = (await db.dataSource.query(`SELECT count(*)::int AS n FROM inbound_message`))[0].n
    expect(messagesBefore).toBeGreaterThan(10)
    const store = new FileMediaStore('/nonexistent-anju-media')
    // A day from now nothing is old enough.
    const soon = new Date(Date.now() + 86_400_000)
    const early = await db.dataSource.transaction((m) =>
      applyRetention(m, DEFAULT_RETENTION_DAYS, store, soon),
    )
    expect(early.removed.messages).toBe(0)
    // Past the messages' year (and the outbox's half year), they go; the cases stay.
    const later = new Date(Math.max(Date.now(), testClock().getTime()) + 400 * 86_400_000)
    const swept = await db.dataSource.transaction((m) =>
      applyRetention(m, DEFAULT_RETENTION_DAYS, store, later),
    )
    expect(swept.removed.messages).toBe(messagesBefore)
    expect(swept.removed.outbox).toBeGreaterThan(0)
    expect((await db.dataSource.query(`SELECT count(*)::int AS n FROM inbound_message`))[0].n).toBe(0)
    expect((await db.dataSource.query(`SELECT count(*)::int AS n FROM service_case`))[0].n).toBe(casesBefore)
    const metrics = await (await fetch(`${app.adminUrl}/metrics`)).text()
    expect(metrics).toMatch(new RegExp(`anju_retention_removed_total\\{kind="messages"\\} ${messagesBefore}`))
  })
})
