import { queryRows } from '../../src/db/sql'
import { testClock } from '../support/clock'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { botInstance, message, say, seedAndBind, type BotInstance } from '../support/harness'

/** The owner dialogs end to end: pipeline, real Postgres, outbox, a recording channel. */
const ZHANG = 'wx-zhang' // 张三: household H0001, two units, ambassador 李娜
const LI = 'wx-li' // 李梅: 张三's spouse, same household
const ZHAO = 'wx-zhao' // 赵六: household H0003, one unit in 2栋

let db: TestDatabase
let bot: BotInstance
beforeAll(async () => {
  db = await createTestDatabase()
  await seedAndBind(db.dataSource, { [ZHANG]: '13800000001', [LI]: '13800000002', [ZHAO]: '13800000004' })
  bot = botInstance(db.dataSource)
})
afterAll(() => db.drop())
beforeEach(() => db.dataSource.query(`UPDATE conversation SET dialog = NULL, dialog_expires_at = NULL`))

const one = async <T>(sql: string, params: unknown[] = []): Promise<T> =>
  (await db.dataSource.query(sql, params))[0]
const staffMessagesTo = (wecomUserId: string) =>
  db.dataSource
    .query(
      `SELECT COALESCE(payload->>'title' || E'\n', '') || (payload->>'text') AS text FROM outbox WHERE channel = 'wecom-app' AND recipient = $1 ORDER BY id`,
      [wecomUserId],
    )
    .then((rows: { text: string }[]) => rows.map((r) => r.text))

describe('binding a WeChat user to a household file', () => {
  it('binds with phone and unit, remembers the identity and shows the menu', async () => {
    const opening = await say(bot, 'wx-new-1', '你好')
    expect(opening).toMatch(/首次使用需要核对房产信息/)
    // The privacy notice comes before any phone number is asked for, and the agreement is recorded.
    expect(opening).toMatch(/个人信息保护提示[\s\S]*回复「同意」/)
    expect(opening).not.toMatch(/请输入购房时登记的手机号/)
    expect(await say(bot, 'wx-new-1', '同意')).toMatch(/请输入购房时登记的手机号/)
    expect(await say(bot, 'wx-new-1', '138 0000 0003')).toMatch(/请输入楼栋和房号/)
    const bound = await say(bot, 'wx-new-1', '2栋502')
    expect(bound).toMatch(/核对成功，王五您好/)
    expect(
      await db.dataSource.query(
        `SELECT notice_version, o.name FROM privacy_consent c JOIN owner o ON o.id = c.owner_id WHERE c.external_id = 'wx-new-1'`,
      ),
    ).toEqual([{ notice_version: '2026-12', name: '王五' }])
    expect(bound).toMatch(/1\. 我要投诉/)
    const identity = await one<{ name: string }>(
      `SELECT o.name FROM channel_identity ci JOIN owner o ON o.id = ci.owner_id WHERE ci.external_id = 'wx-new-1'`,
    )
    expect(identity.name).toBe('王五')
    expect(await say(bot, 'wx-new-1', '菜单')).toMatch(/王五您好/)
  })

  it('never says whose file a near miss belongs to, and stops after three mismatches', async () => {
    const replies = [
      await say(bot, 'wx-new-2', '你好', '同意', '13800000001', '3栋1202'),
      await say(bot, 'wx-new-2', '13800000004', '3栋1201'),
      await say(bot, 'wx-new-2', '半个号码138'),
      await say(bot, 'wx-new-2', '13800000002', '9栋901'),
    ].join('\n')
    expect(replies).toMatch(/信息与档案不一致[\s\S]*还可以再试 2 次/)
    expect(replies).toMatch(/手机号格式不对/)
    expect(replies).toMatch(/多次核对未通过/)
    expect(replies).not.toMatch(/张三|李梅|赵六|李娜/)
    const bound = await db.dataSource.query(`SELECT 1 FROM channel_identity WHERE external_id = 'wx-new-2'`)
    expect(bound).toHaveLength(0)
  })

  it('locks out an identity after five failures in a day', async () => {
    for (const room of ['101', '102', '103'])
      await say(bot, 'wx-new-3', '你好', '同意', '13800000009', `1栋${room}`)
    await say(bot, 'wx-new-3', '菜单', '13800000009', '1栋104', '13800000009', '1栋105')
    expect(await say(bot, 'wx-new-3', '菜单')).toMatch(/核对尝试次数过多，请 24 小时后再试/)
    // Even the right answer is not checked while locked out.
    expect(await say(bot, 'wx-new-3', '13800000001')).not.toMatch(/核对成功/)
  })
})

describe('complaints', () => {
  it('files a complaint for the owner’s ambassador and tells that ambassador', async () => {
    const reply = await say(bot, ZHANG, '投诉', '1', '2', '主卧窗户密封条脱落，下雨渗水', '跳过', '是')
    const caseNo = /工单号 (TS\d{8}-\d{4})/.exec(reply)?.[1]
    expect(caseNo).toBeDefined()
    const filed = await one<Record<string, unknown>>(
      `SELECT c.category, a.name AS ambassador, c.status, c.intake_channel FROM service_case c
         JOIN ambassador a ON a.id = c.ambassador_id WHERE c.case_no = $1`,
      [caseNo],
    )
    expect(filed).toEqual({
      category: '工程质量',
      ambassador: '李娜',
      status: 'open',
      intake_channel: 'test',
    })
    expect((await staffMessagesTo('lina')).at(-1)).toMatch(
      new RegExp(`【新投诉】${caseNo}[\\s\\S]*业主：张三（翠湖花园 3栋 1201）`),
    )
  })

  it('lets the spouse see and follow the household’s case, and escalate it to the group centre', async () => {
    await say(bot, ZHANG, '投诉', '2', '3', '小区门禁经常失灵，外人随意进出', '跳过', '是')
    const list = await say(bot, LI, '查询我的工单')
    expect(list).toMatch(/投诉·物业服务/)
    await say(bot, LI, '1')
    const escalated = await say(
      bot,
      LI,
      '对处理不满意，申请升级到集团客户关系中心',
      '反映了一周仍然没有处理',
      '是',
    )
    expect(escalated).toMatch(/已升级到集团客户关系中心/)
    const latest = await one<{ escalation_level: number }>(
      `SELECT escalation_level FROM service_case WHERE category = '物业服务' ORDER BY id DESC LIMIT 1`,
    )
    expect(latest.escalation_level).toBe(2)
    expect((await staffMessagesTo('kfzx')).at(-1)).toMatch(
      /【集团升级】[\s\S]*业主李梅[\s\S]*反映了一周仍然没有处理/,
    )
  })

  it('never shows another household’s cases', async () => {
    const list = await say(bot, ZHAO, '查询我的工单')
    expect(list).toMatch(/没有工单记录/)
    expect(list).not.toMatch(/TS\d{8}/)
  })
})

describe('repair bookings', () => {
  it('books, reschedules and cancels a visit, keeping slot capacity right', async () => {
    const booked = await say(bot, ZHANG, '报修', '2', '1', '卫生间插座没有电', '跳过', '1', '是')
    expect(booked).toMatch(/报修已预约，工单号 (BX\d{8}-\d{4})/)
    const caseNo = /工单号 (BX\d{8}-\d{4})/.exec(booked)?.[1] as string
    const slotOf = () =>
      one<{ slot: number; booked: number }>(
        `SELECT s.id AS slot, s.booked FROM service_case c JOIN repair_slot s ON s.id = c.repair_slot_id WHERE c.case_no = $1`,
        [caseNo],
      )
    const first = await slotOf()
    expect(first.booked).toBe(1)

    await say(bot, ZHANG, '工单', '1')
    expect(await say(bot, ZHANG, '改约上门时间', '2')).toMatch(new RegExp(`工单 ${caseNo} 已改约到`))
    const second = await slotOf()
    expect(second.slot).not.toBe(first.slot)
    expect(
      (await one<{ booked: number }>(`SELECT booked FROM repair_slot WHERE id = $1`, [first.slot])).booked,
    ).toBe(0)

    await say(bot, ZHANG, '工单', '1', '取消报修')
    expect(await say(bot, ZHANG, '是')).toMatch(new RegExp(`报修工单 ${caseNo} 已取消`))
    expect(
      (await one<{ booked: number }>(`SELECT booked FROM repair_slot WHERE id = $1`, [second.slot])).booked,
    ).toBe(0)
    expect((await staffMessagesTo('lina')).slice(-3).join('\n')).toMatch(
      /【新报修】[\s\S]*改约到[\s\S]*业主已取消/,
    )
  })

  it('keeps the photos an owner sends with the repair, and passes a voice note to the ambassador', async () => {
    await say(bot, ZHANG, '报修', '3', '1', '入户门锁芯坏了，钥匙拧不动')
    await bot.pipeline.receive(message(ZHANG, null, undefined, { kind: 'voice', ref: 'voice-1' }))
    await bot.pipeline.receive(message(ZHANG, null, undefined, { kind: 'image', ref: 'photo-lock-1' }))
    await bot.pipeline.receive(message(ZHANG, null, undefined, { kind: 'image', ref: 'photo-lock-2' }))
    await bot.outbox.settle()
    expect(bot.channel.textsTo(ZHANG).slice(-4).join('\n')).toMatch(
      /已收到您的语音，已转给您的客户大使查看[\s\S]*如有照片[\s\S]*已收到第 2 张照片/,
    )
    expect((await staffMessagesTo('lina')).join('\n')).toMatch(/【业主发来语音】张三/)
    const booked = await say(bot, ZHANG, '好了', '1', '是')
    const caseNo = /工单号 (BX\d{8}-\d{4})/.exec(booked)?.[1]
    const filed = await one<{ attachments: string[] }>(
      `SELECT attachments FROM service_case WHERE case_no = $1`,
      [caseNo],
    )
    expect(filed.attachments).toEqual(['photo-lock-1', 'photo-lock-2'])
  })

  it('marks a repair paid when the category is out of warranty', async () => {
    // 赵六's unit was delivered 2022-12-20: the two-year period for pipes has run out.
    expect(await say(bot, ZHAO, '报修', '2', '厨房下水管漏水', '跳过', '1')).toMatch(
      /已超出保修期，本次为有偿维修/,
    )
    expect(await say(bot, ZHAO, '取消')).toMatch(/已取消当前操作/)
  })

  it('gives the last place of a slot to exactly one of two owners booking at once', async () => {
    const [{ id: slotId }] = await db.dataSource.query(
      `INSERT INTO repair_slot (project_id, starts_at, ends_at, capacity)
       SELECT id, $1::timestamptz + interval '1 hour', $1::timestamptz + interval '4 hours', 1 FROM project
       RETURNING id`,
      [testClock()],
    )
    // The new slot is the earliest on offer, so both owners pick 1.
    await say(bot, ZHANG, '报修', '1', '1', '屋顶阳台渗水到客厅', '跳过')
    await say(bot, ZHAO, '报修', '1', '次卧外墙渗水，墙皮发霉', '跳过')
    await say(bot, ZHANG, '1')
    await say(bot, ZHAO, '1')
    const [zhang, zhao] = await Promise.all([say(bot, ZHANG, '是'), say(bot, ZHAO, '是')])
    const outcomes = [zhang, zhao].map((r) =>
      r.includes('报修已预约') ? 'booked' : r.includes('约走了') ? 'taken' : r,
    )
    expect(outcomes.sort()).toEqual(['booked', 'taken'])
    const slot = await one<{ booked: number; cases: number }>(
      `SELECT booked, (SELECT count(*)::int FROM service_case WHERE repair_slot_id = $1) AS cases FROM repair_slot WHERE id = $1`,
      [slotId],
    )
    expect(slot).toEqual({ booked: 1, cases: 1 })
  })
})

describe('progress letters', () => {
  it('shows the project’s letters and records the first read', async () => {
    const list = await say(bot, ZHANG, '工程进度告知函')
    expect(list).toMatch(/1\. 【未读】翠湖花园二期 11月工程进度告知函/)
    expect(await say(bot, ZHANG, '1')).toMatch(/外立面施工完成 90%/)
    const receipt = await one<{ status: string; read_at: Date }>(
      `SELECT d.status, d.read_at FROM letter_delivery d JOIN owner o ON o.id = d.owner_id
        JOIN letter l ON l.id = d.letter_id WHERE o.name = '张三' AND l.title LIKE '%11月%'`,
    )
    expect(receipt.status).toBe('read')
    await say(bot, ZHANG, '工程进度告知函', '1')
    const again = await one<{ read_at: Date }>(
      `SELECT d.read_at FROM letter_delivery d JOIN owner o ON o.id = d.owner_id
        JOIN letter l ON l.id = d.letter_id WHERE o.name = '张三' AND l.title LIKE '%11月%'`,
    )
    expect(again.read_at).toEqual(receipt.read_at)
    expect(await say(bot, ZHANG, '工程进度告知函')).toMatch(/1\. 翠湖花园二期 11月工程进度告知函/)
  })

  it('keeps a letter for one building from other buildings', async () => {
    await db.dataSource.query(
      `INSERT INTO letter (kind, project_id, title, body, created_by, published_at, audience)
       SELECT 'design_change', p.id, '3栋设计变更通知', '3栋阳台栏杆样式调整。', '工程部',
              $1::timestamptz - interval '1 second',
              jsonb_build_object('buildingIds', jsonb_build_array(b.id))
         FROM project p JOIN building b ON b.project_id = p.id AND b.name = '3栋'`,
      [testClock()],
    )
    expect(await say(bot, ZHANG, '工程进度告知函')).toMatch(/3栋设计变更通知/)
    expect(await say(bot, ZHAO, '工程进度告知函')).not.toMatch(/3栋设计变更通知/)
  })
})

describe('callback surveys', () => {
  it('reopens a case for the supervisor on a poor score and tells the owner', async () => {
    await say(bot, ZHAO, '投诉', '2', '1', '物业维修师傅态度很差', '跳过', '是')
    const [{ case_no: caseNo }] = await queryRows<{ case_no: string }>(
      db.dataSource,
      `UPDATE service_case SET status = 'closed', closed_at = now()
        WHERE id = (SELECT max(id) FROM service_case WHERE description = '物业维修师傅态度很差') RETURNING case_no`,
    )
    const ask = await say(bot, ZHAO, '满意度回访')
    expect(ask).toMatch(new RegExp(`请为工单 ${caseNo}`))
    await say(bot, ZHAO, '1')
    expect(await say(bot, ZHAO, '说好的回访一直没人来')).toMatch(/工单已重新打开，由客户服务主管陈静亲自跟进/)
    const reopened = await one<Record<string, unknown>>(
      `SELECT c.status, a.name AS handler, s.score, s.comment FROM service_case c
         JOIN ambassador a ON a.id = c.ambassador_id JOIN survey s ON s.case_id = c.id WHERE c.case_no = $1`,
      [caseNo],
    )
    expect(reopened).toEqual({
      status: 'reopened',
      handler: '陈静',
      score: 1,
      comment: '说好的回访一直没人来',
    })
    expect((await staffMessagesTo('chenjing')).at(-1)).toMatch(/【回访不满意】/)
    expect(await say(bot, ZHAO, '满意度回访')).toMatch(/没有待评价的工单/)
  })
})

describe('hand-off to the ambassador', () => {
  it('tells the ambassador where the owner was when asking for a person', async () => {
    await say(bot, ZHANG, '报修', '1')
    expect(await say(bot, ZHANG, '人工')).toMatch(/已通知客户大使李娜/)
    expect((await staffMessagesTo('lina')).at(-1)).toMatch(/【业主请求人工】张三在「预约报修」时请求人工服务/)
  })
})
