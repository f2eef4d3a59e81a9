import { phoneLookupKey as phoneKey } from '../../src/domain/phone-vault'
import type { RunningApp } from '../../src/app'
import { issueToken } from '../../src/admin/auth'
import { testClock } from '../support/clock'
import { startTestApp } from '../support/app'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { botInstance, message, say, type BotInstance } from '../support/harness'

/**
 * Owners and strangers write sentences over a real pipeline and database: requests open their dialog
 * filled in, questions are answered from the knowledge base staff maintain through the API, strangers
 * ask and reach a person without binding, and a voice note reaches the ambassador.
 */
const ADMIN = 'knowledge-admin-token-0123456789'
const ZHANG = 'wx-zhang-kb'
let db: TestDatabase
let app: RunningApp
let bot: BotInstance
const tokens: Record<string, string> = { admin: ADMIN }

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
  tokens.head = await issueToken(db.dataSource, {
    name: '周建国',
    role: 'branch_head',
    ambassadorId: await staffId('zhoujianguo'),
  })
  await db.dataSource.query(
    `INSERT INTO branch (name) VALUES ('上海分公司') ON CONFLICT DO NOTHING;
     INSERT INTO project (code, name, branch) VALUES ('ELSE', '别处花园', '上海分公司');
     INSERT INTO ambassador (name, wecom_user_id, project_id, role)
     SELECT '吴经理', 'wujingli-kb', id, 'branch_head' FROM project WHERE code = 'ELSE'`,
  )
  tokens.elsewhere = await issueToken(db.dataSource, {
    name: '吴经理',
    role: 'branch_head',
    ambassadorId: await staffId('wujingli-kb'),
  })
})
afterAll(async () => {
  await app.shutdown()
  await db.drop()
})

async function api(who: string, path: string, init: { method?: string; body?: unknown; csv?: string } = {}) {
  const response = await fetch(`${app.adminUrl}/api/v1${path}`, {
    method: init.method ?? (init.body !== undefined || init.csv !== undefined ? 'POST' : 'GET'),
    headers: {
      authorization: `Bearer ${tokens[who]}`,
      'content-type': init.csv !== undefined ? 'text/csv' : 'application/json',
    },
    body: init.csv ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  })
  const type = response.headers.get('content-type') ?? ''
  // Text read as bytes: fetch's text() drops the BOM that Excel needs.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json: any = type.includes('json')
    ? await response.json()
    : Buffer.from(await response.arrayBuffer()).toString('utf8')
  return { status: response.status, json }
}

const staffMessagesTo = async (wecomUserId: string): Promise<string[]> =>
  (
    await db.dataSource.query(
      `SELECT payload->>'text' AS text FROM outbox WHERE channel = 'wecom-app' AND recipient = $1 ORDER BY id`,
      [wecomUserId],
    )
  ).map((row: { text: string }) => row.text)

describe('an owner’s sentences', () => {
  it('books the repair “我家卫生间漏水了，能派人来看看吗” asks for, with the sentence as its description', async () => {
    const opening = await say(bot, ZHANG, '我家卫生间漏水了，能派人来看看吗')
    expect(opening).toMatch(/好的，为您登记报修：防水渗漏\n问题：我家卫生间漏水了，能派人来看看吗/)
    expect(opening).not.toMatch(/请回复 1 到|请选择报修类别|请描述/)
    const booked = await say(bot, ZHANG, '1', '跳过', '1', '是')
    const caseNo = /工单号 (BX\d{8}-\d{4})/.exec(booked)?.[1]
    const [filed] = await db.dataSource.query(
      `SELECT category, description FROM service_case WHERE case_no = $1`,
      [caseNo],
    )
    expect(filed).toEqual({ category: '防水渗漏', description: '我家卫生间漏水了，能派人来看看吗' })
  })

  it.each([
    ['交房时间是什么时候', /2027 年 6 月 30 日前交付/],
    ['物业费怎么交', /翠湖生活/],
    ['维修基金怎么交', /专项维修资金/],
    ['門禁卡丟了咋辦', /补办或加办/],
  ])('answers “%s” from the knowledge base and records whether it helped', async (question, answer) => {
    const reply = await say(bot, ZHANG, question)
    expect(reply).toMatch(answer)
    expect(reply).toMatch(/解决您的问题了吗/)
    expect(reply).not.toMatch(/请选择报修类别|请回复 1 到/)
    expect(await say(bot, ZHANG, '是')).toMatch(/很高兴帮到您/)
    const [logged] = await db.dataSource.query(
      `SELECT outcome, solved FROM knowledge_query WHERE text = $1 ORDER BY id DESC LIMIT 1`,
      [question],
    )
    expect(logged).toEqual({ outcome: 'answered', solved: true })
  })

  it('offers a choice when a question fits several entries, and logs the one picked', async () => {
    const reply = await say(bot, ZHANG, '装修')
    expect(reply).toMatch(/您想问的是下面哪一个[\s\S]*1\. [\s\S]*2\. /)
    const answer = await say(bot, ZHANG, '1')
    expect(answer).toMatch(/解决您的问题了吗/)
    const [logged] = await db.dataSource.query(
      `SELECT outcome, entry_id IS NOT NULL AS picked FROM knowledge_query WHERE text = '装修' ORDER BY id DESC LIMIT 1`,
    )
    expect(logged).toEqual({ outcome: 'suggested', picked: true })
    await say(bot, ZHANG, '取消')
  })

  it('hands a voice note to the ambassador with a word to the owner, and the bot keeps quiet after', async () => {
    await bot.pipeline.receive(message(ZHANG, null, undefined, { kind: 'voice', ref: 'voice-kb-1' }))
    await bot.outbox.settle()
    expect(bot.channel.textsTo(ZHANG).slice(-2).join('\n')).toMatch(/已收到您的语音[\s\S]*客户大使李娜/)
    expect((await staffMessagesTo('lina')).at(-1)).toMatch(/【业主请求人工】张三在「发来语音」/)
    expect(await say(bot, ZHANG, '菜单')).toMatch(/请问需要办理什么/)
  })
})

describe('a stranger (not bound to a household)', () => {
  const STRANGER = 'wx-stranger-kb'

  it('gets answers without binding', async () => {
    const reply = await say(bot, STRANGER, '物业费怎么交')
    expect(reply).toMatch(/翠湖生活|物业服务中心/)
    expect(reply).not.toMatch(/手机号/)
  })

  it('is asked to bind when a service needs a household, and can ask a question instead of a phone number', async () => {
    const reply = await say(bot, STRANGER, '我要报修')
    expect(reply).toMatch(/办理「预约报修」需要先核对您的业主身份[\s\S]*个人信息保护提示/)
    expect(await say(bot, STRANGER, '小区能养狗吗')).toMatch(/可以饲养宠物/)
    // Declining the notice: no phone number is asked for, and nothing is recorded.
    expect(await say(bot, STRANGER, '绑定')).toMatch(/个人信息保护提示/)
    const declined = await say(bot, STRANGER, '不同意')
    expect(declined).toMatch(/不会收集您的手机号/)
    expect(declined).not.toMatch(/请输入购房时登记的手机号/)
    expect(
      await db.dataSource.query(`SELECT 1 FROM privacy_consent WHERE external_id = $1`, [STRANGER]),
    ).toEqual([])
  })

  it('reaches the customer centre with 人工', async () => {
    expect(await say(bot, 'wx-stranger-kb-2', '请转人工')).toMatch(/已为您转接客服人员/)
    expect((await staffMessagesTo('kfzx')).at(-1)).toMatch(/【访客请求人工】/)
    const [conversation] = await db.dataSource.query(
      `SELECT c.handed_off_at IS NOT NULL AS with_staff, a.wecom_user_id AS handler
         FROM conversation c JOIN ambassador a ON a.id = c.handed_off_to WHERE c.external_id = 'wx-stranger-kb-2'`,
    )
    expect(conversation).toEqual({ with_staff: true, handler: 'kfzx' })
    // The bot keeps quiet while staff have it; the centre hears the next message.
    expect(await say(bot, 'wx-stranger-kb-2', '你好，在吗')).toBe('')
  })
})

describe('the knowledge base through the API', () => {
  it('lets the group write group-wide entries and a branch head only their projects’', async () => {
    const created = await api('admin', '/knowledge', {
      body: {
        question: '小区有充电桩吗？',
        paraphrases: ['充电桩在哪', '电动车怎么充电'],
        answer: '地库 B1 有 20 个充电桩，扫码使用。',
        tags: ['停车'],
      },
    })
    expect(created.status).toBe(201)
    expect(await say(bot, ZHANG, '电动车在哪充电')).toMatch(/地库 B1 有 20 个充电桩/)
    await say(bot, ZHANG, '是')

    const [{ id: project }] = await db.dataSource.query(`SELECT id FROM project WHERE code = 'CUIHU'`)
    expect(
      (await api('head', '/knowledge', { body: { question: '会所开放时间', answer: '每天 9:00-21:00' } }))
        .status,
    ).toBe(403)
    const own = await api('head', '/knowledge', {
      body: { projectId: project, question: '会所开放时间', answer: '每天 9:00-21:00' },
    })
    expect(own.status).toBe(201)
    expect(
      (await api('elsewhere', `/knowledge/${own.json.id}`, { method: 'PATCH', body: { answer: '关闭' } }))
        .status,
    ).toBe(404)
    expect((await api('elsewhere', `/knowledge/${own.json.id}`)).status).toBe(404)
    expect(
      (await api('elsewhere', '/knowledge')).json.items.some((e: { id: number }) => e.id === own.json.id),
    ).toBe(false)
    expect((await api('lina', '/knowledge', { body: { question: 'x', answer: 'y' } })).status).toBe(403)
    const patched = await api('head', `/knowledge/${own.json.id}`, {
      method: 'PATCH',
      body: { answer: '每天 8:00-22:00' },
    })
    expect(patched.status).toBe(200)
    const read = await api('lina', `/knowledge/${own.json.id}`)
    expect(read.json).toMatchObject({ question: '会所开放时间', answer: '每天 8:00-22:00' })
    expect((await api('admin', `/knowledge/${created.json.id}`, { method: 'DELETE' })).status).toBe(204)
    expect(await say(bot, ZHANG, '充电桩在哪')).not.toMatch(/20 个充电桩/)
    await say(bot, ZHANG, '取消')
  })

  it('refuses bad entries with a clear answer', async () => {
    const bad = await api('admin', '/knowledge', { body: { question: '', answer: 'x', stages: ['业委会'] } })
    expect(bad.status).toBe(400)
    const backwards = await api('admin', '/knowledge', {
      body: { question: '活动', answer: 'x', validFrom: '2027-02-01', validTo: '2027-01-01' },
    })
    expect(backwards.status).toBe(400)
    // A day that does not exist is refused, not rolled into March.
    const impossible = await api('admin', '/knowledge', {
      body: { question: '春节值班安排', answer: 'x', validFrom: '2027-02-30' },
    })
    expect(impossible.status).toBe(400)
    expect(JSON.stringify(impossible.json)).toMatch(/not a calendar date/)
  })

  it('exports CSV and imports it back all or nothing, naming every bad line', async () => {
    const exported = await api('admin', '/knowledge?format=csv')
    expect(exported.status).toBe(200)
    expect(exported.json).toMatch(
      /^\uFEFFid,project,question,paraphrases,answer,tags,stages,validFrom,validTo/,
    )
    const before = (await api('admin', '/knowledge')).json.items.length
    const refused = await api('admin', '/knowledge/import', {
      csv: 'question,answer,project,stages\n垃圾分类怎么做,按四分类投放,,\n,没有问题,,\n车库几点关门,不关门,NOPE,\n',
    })
    expect(refused.status).toBe(422)
    expect(refused.json.errors.map((e: { line: number }) => e.line)).toEqual([3, 4])
    expect((await api('admin', '/knowledge')).json.items.length).toBe(before)
    const imported = await api('admin', '/knowledge/import', {
      csv: 'question,answer,project,paraphrases\n垃圾分类怎么做,按四分类投放，厨余垃圾每天 7:00-9:00 定时投放。,CUIHU,垃圾怎么分类|厨余垃圾几点扔\n',
    })
    expect(imported.json).toMatchObject({ rows: 1, created: 1, updated: 0, errors: [] })
    expect(await say(bot, ZHANG, '厨余垃圾几点扔')).toMatch(/7:00-9:00 定时投放/)
    await say(bot, ZHANG, '是')
  })

  it('reports what was asked and ranks what went unanswered', async () => {
    for (let i = 0; i < 3; i += 1) await say(bot, ZHANG, '小区游泳池几月开放')
    await say(bot, ZHANG, '取消')
    const day = 86_400_000
    const from = new Date(testClock().getTime() - day).toISOString()
    const to = new Date(testClock().getTime() + day).toISOString()
    const report = await api('head', `/reports/knowledge?from=${from}&to=${to}`)
    expect(report.status).toBe(200)
    expect(report.json.asked).toBeGreaterThan(5)
    expect(report.json.solved).toBeGreaterThan(3)
    expect(report.json.unansweredQuestions[0]).toMatchObject({ question: '小区游泳池几月开放', asked: 3 })
    const csv = await api('head', `/reports/knowledge?from=${from}&to=${to}&format=csv`)
    expect(csv.json).toMatch(/小区游泳池几月开放,3,/)
  })
})
