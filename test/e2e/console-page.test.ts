import { phoneLookupKey as phoneKey } from '../../src/domain/phone-vault'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import sharp from 'sharp'
import { message } from '../support/harness'
import { FileMediaStore } from '../../src/services/media/media-store'
import { describeWithBrowser, launchChromium } from '../support/browser'
import type { RunningApp } from '../../src/app'
import { startTestApp } from '../support/app'
import { shanghaiMonth } from '../support/clock'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { say, botInstance } from '../support/harness'

/** The staff console in headless Chromium, against the real API and Postgres. */

describeWithBrowser('staff console (headless Chromium)', () => {
  const ADMIN = 'console-admin-token-0123456789'
  let db: TestDatabase
  let app: RunningApp
  let browser: Browser
  const dataDir = mkdtempSync(path.join(tmpdir(), 'anju-console-'))

  beforeAll(async () => {
    db = await createTestDatabase()
    app = await startTestApp(db, { CONSOLE_CHANNEL: 'on', ADMIN_TOKEN: ADMIN, DATA_DIR: dataDir })
    // Two complaints filed the way owners file them.
    await db.dataSource.query(
      `INSERT INTO channel_identity (channel, external_id, owner_id) SELECT 'test', 'wx-zhao', id FROM owner WHERE phone_key = '${phoneKey('13800000004')}'`,
    )
    const bot = botInstance(db.dataSource)
    await say(bot, 'wx-zhao', '投诉', '1', '1', '卫生间防水失效，楼下渗水', '跳过', '是')
    await say(bot, 'wx-zhao', '投诉', '2', '1', '小区保安夜间不在岗', '跳过', '是')
    // 赵六 now chats on the console, which this app instance runs, so letters reach him.
    await db.dataSource.query(
      `UPDATE channel_identity SET channel = 'console', external_id = 'zhao' WHERE external_id = 'wx-zhao'`,
    )
    browser = await launchChromium()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await app?.shutdown()
    await db?.drop()
  })

  it('lists cases, broadcasts a letter with live progress, and charts the month’s complaints', async () => {
    const page = await browser.newPage()
    await page.goto(`${app.adminUrl}/console`)
    await page.fill('#token', ADMIN)
    await page.click('#sign-in')
    await page.waitForSelector('#cases-body tr')
    expect(await page.locator('#cases-body tr').count()).toBe(2)
    expect(await page.textContent('#cases-body')).toMatch(/防水|工程质量/)
    // Each open case counts down to its deadline.
    expect(await page.locator('#cases-body .countdown').first().textContent()).toMatch(
      / · (剩|已超)(\d+小时)?\d+分/,
    )

    const [project] = await db.dataSource.query(`SELECT id FROM project WHERE code = 'CUIHU'`)
    await page.fill('#letter-project', String(project.id))
    await page.fill('#letter-title', '12月工程进度告知函')
    await page.fill('#letter-body', '园林景观开始施工，预计春节前完成。')
    await page.click('#letter-form button[type=submit]')
    await page.waitForSelector('#progress-bar[aria-valuenow="100"]')
    expect(await page.textContent('#progress-text')).toMatch(/^100% · 收件人 4 · /)

    const month = shanghaiMonth()
    await page.fill('#report-month', month)
    await page.click('#report-load')
    await page.waitForSelector('#chart rect')
    expect(await page.locator('#chart rect').count()).toBe(2)
    expect(await page.textContent('#report-summary')).toMatch(/^投诉 2 · /)
    await page.screenshot({ path: `${process.env.TMPDIR ?? '/tmp'}/anju-console.png`, fullPage: true })
    await page.close()
  })

  it('shows markup in the data as text, and runs no script but its own', async () => {
    const html = await fetch(`${app.adminUrl}/console`)
    expect(html.headers.get('content-security-policy')).toMatch(/script-src 'self'/)
    expect(await html.text()).not.toMatch(/<script>/)

    const hostile = '<img src=x onerror="window.__anjuPwned=1">赵六'
    await db.dataSource.query(`UPDATE owner SET name = $1 WHERE phone_key = '${phoneKey('13800000004')}'`, [
      hostile,
    ])
    try {
      const page = await browser.newPage()
      await page.goto(`${app.adminUrl}/console`)
      await page.fill('#token', ADMIN)
      await page.click('#sign-in')
      await page.waitForSelector('#cases-body tr')
      expect(await page.textContent('#cases-body')).toContain(hostile)
      expect(await page.evaluate(() => (globalThis as { __anjuPwned?: number }).__anjuPwned)).toBeUndefined()
      await page.close()
    } finally {
      await db.dataSource.query(
        `UPDATE owner SET name = '赵六' WHERE phone_key = '${phoneKey('13800000004')}'`,
      )
    }
  })

  it('shows the owners waiting for a person, their transcript, and lets staff reply and hand back', async () => {
    await db.dataSource.query(
      `INSERT INTO channel_identity (channel, external_id, owner_id) SELECT 'test', 'wx-zhang', id FROM owner WHERE phone_key = '${phoneKey('13800000001')}'`,
    )
    const bot = botInstance(db.dataSource)
    await say(bot, 'wx-zhang', '人工')
    await say(bot, 'wx-zhang', '客厅空调不制冷，今天能来看看吗？')
    await fetch(`${app.adminUrl}/api/v1/canned-replies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: '稍后答复', body: '{业主}您好，已收到，{客户大使}稍后答复您。' }),
    })

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(`${app.adminUrl}/console`)
    await page.fill('#token', ADMIN)
    await page.click('#sign-in')
    const row = page.locator('#conv-body tr', { hasText: '张三' })
    await row.waitFor()
    expect(await row.textContent()).toContain('人工处理中')
    await row.click()
    await page.waitForSelector('#transcript .msg.in >> text=客厅空调不制冷')

    // A typed reply reaches the owner's channel and shows in the transcript under the staff name.
    await page.fill('#reply-text', '张先生您好，师傅下午三点上门。')
    await page.click('#reply-form button[type=submit]')
    await page.waitForSelector('#transcript .msg.out >> text=师傅下午三点上门')
    await bot.outbox.settle()
    expect(bot.channel.textsTo('wx-zhang').at(-1)).toBe('张先生您好，师傅下午三点上门。')
    // A canned reply is filled for this owner.
    await page.selectOption('#canned', { label: '稍后答复' })
    await page.click('#reply-form button[type=submit]')
    await page.waitForSelector('#transcript .msg.out >> text=张三您好，已收到，李娜稍后答复您。')
    await page.screenshot({
      path: `${process.env.TMPDIR ?? '/tmp'}/anju-console-conversation.png`,
      fullPage: true,
    })

    // Handed back: it leaves the queue, and the bot answers the owner again.
    await page.click('#release')
    await page.locator('#conv-body tr', { hasText: '张三' }).waitFor({ state: 'detached' })
    expect(await say(bot, 'wx-zhang', '你好')).toMatch(/请问需要办理什么/)
    await page.close()
  })

  it('opens a case with its history, and a reply with a status change meets its clock', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(`${app.adminUrl}/console`)
    await page.fill('#token', ADMIN)
    await page.click('#sign-in')
    await page.waitForSelector('#cases-body tr')
    // The overdue queue is empty; all cases are back with 全部工单.
    await page.selectOption('#filter-queue', 'breached')
    await page.locator('#cases-body tr').first().waitFor({ state: 'detached' })
    await page.selectOption('#filter-queue', '')
    const row = page.locator('#cases-body tr', { hasText: '工程质量' })
    await row.click()
    await page.waitForSelector('#case-events li >> text=受理')
    expect(await page.textContent('#case-facts')).toMatch(/已受理 · 计时中 · 答复时限 /)
    expect(await page.textContent('#case-description')).toBe('卫生间防水失效，楼下渗水')

    await page.fill('#case-note', '已安排防水班组明天上午上门检测。')
    await page.selectOption('#case-status', 'in_progress')
    await page.click('#case-form button[type=submit]')
    await page.waitForSelector('#case-events li >> text=已安排防水班组明天上午上门检测')
    await page.waitForSelector('#case-facts >> text=已按时答复')
    expect(await page.textContent('#case-facts')).toMatch(/^处理中 · 已按时答复/)
    expect(await page.textContent('#case-events')).toMatch(
      /受理 · 业主[\s\S]*答复业主 · bootstrap admin：已安排/,
    )
    // Handed to a colleague: the list and the history say so.
    await page.selectOption('#assign-to', { label: '王强' })
    await page.click('#assign-form button[type=submit]')
    await page.waitForSelector('#case-events li >> text=转派 · bootstrap admin：→ 王强')
    expect(await page.textContent('#case-facts')).toContain('王强')
    await page.screenshot({ path: `${process.env.TMPDIR ?? '/tmp'}/anju-console-case.png`, fullPage: true })
    await page.close()
  })

  it('keeps the knowledge base: entries, a new one answering owners at once, and the questions left unanswered', async () => {
    const bot = botInstance(db.dataSource)
    await db.dataSource.query(
      `INSERT INTO channel_identity (channel, external_id, owner_id) SELECT 'test', 'wx-kb-page', id FROM owner WHERE phone_key = '${phoneKey('13800000001')}'
       ON CONFLICT DO NOTHING`,
    )
    expect(await say(bot, 'wx-kb-page', '小区游泳池几点开门')).toMatch(/暂时答不上来/)
    const page = await browser.newPage()
    await page.goto(`${app.adminUrl}/console`)
    await page.fill('#token', ADMIN)
    await page.click('#sign-in')
    await page.waitForSelector('#kb-body tr', { timeout: 5000 })
    expect(await page.locator('#kb-body tr').count()).toBeGreaterThanOrEqual(30)
    await page.waitForSelector('#kb-unanswered button', { timeout: 5000 })
    expect(await page.textContent('#kb-unanswered')).toMatch(/小区游泳池几点开门 · 1次/)
    await page.click('#kb-unanswered button')
    expect(await page.inputValue('#kb-question')).toBe('小区游泳池几点开门')
    await page.fill('#kb-paraphrases', '泳池开放时间\n游泳池什么时候开')
    await page.fill('#kb-answer', '泳池夏季（6–9 月）每天 9:00–21:00 开放，凭业主卡入场。')
    await page.fill('#kb-tags', '泳池 配套')
    await page.click('#kb-form button[type=submit]')
    await page.waitForSelector('#kb-status:has-text("已保存")', { timeout: 5000 })
    await page.fill('#kb-search', '游泳池')
    await page.click('#kb-load')
    for (let i = 0; i < 100 && (await page.locator('#kb-body tr').count()) !== 1; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await page.textContent('#kb-body')).toMatch(/小区游泳池几点开门集团通用泳池夏季/)
    await page.screenshot({
      path: `${process.env.TMPDIR ?? '/tmp'}/anju-console-knowledge.png`,
      fullPage: true,
    })
    await page.close()
    expect(await say(bot, 'wx-kb-page', '游泳池什么时候开')).toMatch(/每天 9:00–21:00 开放/)
  })

  it('shows the photo an owner sent with a complaint in the case view, through a signed link', async () => {
    await db.dataSource.query(
      `INSERT INTO channel_identity (channel, external_id, owner_id) SELECT 'test', 'wx-photo', id FROM owner WHERE phone_key = '${phoneKey('13800000003')}'`,
    )
    const bot = botInstance(db.dataSource)
    await say(bot, 'wx-photo', '投诉', '1', '1', '阳台玻璃有一道裂纹')
    await bot.pipeline.receive(
      message('wx-photo', null, undefined, { kind: 'image', ref: 'test-photo-glass' }),
    )
    const filed = await say(bot, 'wx-photo', '好了', '是')
    const caseNo = /工单号 (TS\d{8}-\d{4})/.exec(filed)?.[1] as string
    // The picture as the fetcher keeps it (this test channel has no files to fetch).
    const photo = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#3b7dd8' } })
      .jpeg()
      .toBuffer()
    const store = new FileMediaStore(path.join(dataDir, 'media'))
    await store.put('media/test/glass', photo, 'image/jpeg')
    await store.put(
      'media/test/glass.thumb.jpg',
      await sharp(photo).resize({ width: 320 }).jpeg().toBuffer(),
      'image/jpeg',
    )
    await db.dataSource.query(
      `UPDATE media_file SET status = 'stored', storage_key = 'media/test/glass', thumbnail_key = 'media/test/glass.thumb.jpg',
              content_type = 'image/jpeg' WHERE source_ref = 'test-photo-glass'`,
    )

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(`${app.adminUrl}/console`)
    await page.fill('#token', ADMIN)
    await page.click('#sign-in')
    await page.locator('#cases-body tr', { hasText: caseNo }).click()
    const thumbnail = page.locator('#case-media img.thumb')
    await thumbnail.waitFor()
    await page.waitForFunction(() => {
      const img = (
        globalThis as unknown as {
          document: { querySelector(s: string): { complete: boolean; naturalWidth: number } | null }
        }
      ).document.querySelector('#case-media img.thumb')
      return img !== null && img.complete && img.naturalWidth > 0
    })
    expect(await thumbnail.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(
      320,
    )
    const full = await page.locator('#case-media a').getAttribute('href')
    expect(full).toMatch(/^\/media\/\d+\?v=full&exp=\d+&sig=[0-9a-f]{64}$/)
    await page.screenshot({ path: `${process.env.TMPDIR ?? '/tmp'}/anju-console-photo.png`, fullPage: true })
    // What the owner wrote around the case, from the case view.
    await page.click('#case-conversation')
    await page.waitForSelector('#transcript .msg >> text=阳台玻璃有一道裂纹')
    // The list as a spreadsheet, with the filters on screen.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#cases-export')])
    const csv = (await import('node:fs')).readFileSync((await download.path()) as string, 'utf8')
    expect(
      csv.startsWith(
        '\uFEFFcase_no,kind,category,status,owner,ambassador,created_at,reply_due_at,sla,escalation_level',
      ),
    ).toBe(true)
    expect(csv).toContain(caseNo)
    // Escalated from the case view, with the reason written in the note box.
    await page.fill('#case-note', '业主第三次反映，玻璃裂纹扩大，需要集团协调厂家')
    await page.click('#case-escalate')
    await page.waitForSelector('#case-events li >> text=升级')
    expect(await page.textContent('#case-events')).toMatch(/升级 · bootstrap admin：业主第三次反映/)
    const [{ text }] = await db.dataSource.query(
      `SELECT payload->>'text' AS text FROM outbox WHERE recipient = 'kfzx' ORDER BY id DESC LIMIT 1`,
    )
    expect(text).toMatch(new RegExp(`【集团升级】${caseNo}：bootstrap admin将工单升级到集团客户关系中心`))
    await page.close()
  })

  it('opens cases that came in by phone or from a forum, for an owner or for anyone', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(`${app.adminUrl}/console`)
    await page.fill('#token', ADMIN)
    await page.click('#sign-in')
    await page.waitForSelector('#cases-body tr')
    await page.selectOption('#intake-channel', 'hotline')
    await page.fill('#intake-category', '物业服务')
    await page.fill('#intake-household', 'CUIHU-H0002')
    await page.fill('#intake-description', '业主来电：地库照明坏了三天，晚上很黑')
    await page.click('#intake-form button[type=submit]')
    await page.waitForSelector('#intake-status:has-text("已登记")')
    const hotline = /工单号 (TS\d{8}-\d{4})/.exec((await page.textContent('#intake-status')) as string)![1]
    await page.waitForSelector(`#cases-body tr:has-text("${hotline}")`)
    const [filed] = await db.dataSource.query(
      `SELECT c.intake_channel, h.code FROM service_case c JOIN household h ON h.id = c.household_id WHERE c.case_no = $1`,
      [hotline],
    )
    expect(filed).toEqual({ intake_channel: 'hotline', code: 'CUIHU-H0002' })

    const [project] = await db.dataSource.query(`SELECT id FROM project WHERE code = 'CUIHU'`)
    await page.selectOption('#intake-channel', 'forum')
    await page.fill('#intake-category', '工程质量')
    await page.fill('#intake-project', String(project.id))
    await page.fill('#intake-reporter', '论坛网友“湖边人”')
    await page.fill('#intake-description', '论坛帖子：翠湖花园外墙瓷砖脱落，路人险被砸')
    await page.click('#intake-form button[type=submit]')
    await page.waitForFunction(
      (before) =>
        (
          globalThis as unknown as { document: { querySelector(s: string): { textContent: string } } }
        ).document.querySelector('#intake-status').textContent !== before,
      `已登记，工单号 ${hotline}`,
    )
    const forum = /工单号 (TS\d{8}-\d{4})/.exec((await page.textContent('#intake-status')) as string)![1]
    const [post] = await db.dataSource.query(
      `SELECT intake_channel, owner_id, details FROM service_case WHERE case_no = $1`,
      [forum],
    )
    expect(post).toMatchObject({
      intake_channel: 'forum',
      owner_id: null,
      details: expect.objectContaining({ reporter: { name: '论坛网友“湖边人”' } }),
    })
    await page.close()
  })

  it('sets a project’s desk hours, reply time and on-duty person, refuses bad hours, and adds a staff member', async () => {
    const page = await browser.newPage()
    await page.goto(`${app.adminUrl}/console`)
    await page.fill('#token', ADMIN)
    await page.click('#sign-in')
    await page.waitForSelector('#org-projects tr', { timeout: 5000 })
    const row = page.locator('#org-projects tr', { hasText: 'CUIHU' })
    expect(await row.textContent()).toMatch(/翠湖花园杭州分公司默认默认默认/)
    // Lists come in requests of their own and are redrawn after every change: wait for what is expected.
    // A function, not a string: the console's policy forbids eval, which a string predicate needs.
    type Page = { document: { querySelector(selector: string): { textContent: string | null } | null } }
    const shows = (selector: string, text: string) =>
      page.waitForFunction(
        ([where, what]) =>
          ((globalThis as unknown as Page).document.querySelector(where)?.textContent ?? '').includes(what),
        [selector, text] as const,
        { timeout: 5000 },
      )
    await shows('#org-branches', '杭州分公司1周建国')
    await row.locator('button').click()
    await page.fill('#org-hours', '20:00-08:00')
    await page.click('#org-project-form button[type=submit]')
    await page.waitForSelector('#org-status:has-text("出错了")', { timeout: 5000 })
    const [unchanged] = await db.dataSource.query(`SELECT service_hours FROM project WHERE code = 'CUIHU'`)
    expect(unchanged.service_hours).toBeNull()

    await page.fill('#org-delivery', '2027-06-30')
    await page.fill('#org-hours', '08:00-20:00')
    await page.fill('#org-reply', '8')
    await page.selectOption('#org-reply-mode', 'business')
    await page.fill('#org-dispatch', '15')
    const onDuty = await page.locator('#org-on-duty option', { hasText: '李娜' }).getAttribute('value')
    await page.selectOption('#org-on-duty', onDuty as string)
    await page.click('#org-project-form button[type=submit]')
    await page.waitForSelector('#org-status:has-text("已保存")', { timeout: 5000 })
    const [saved] = await db.dataSource.query(
      `SELECT service_hours, sla_policies, on_duty_staff_id, to_char(delivery_date, 'YYYY-MM-DD') AS delivery
         FROM project WHERE code = 'CUIHU'`,
    )
    expect(saved).toEqual({
      service_hours: '08:00-20:00',
      sla_policies: {
        complaintReply: { mode: 'business', minutes: 480 },
        repairDispatch: { mode: 'business', minutes: 15 },
      },
      on_duty_staff_id: Number(onDuty),
      delivery: '2027-06-30',
    })
    await page.waitForSelector('#org-projects tr:has-text("08:00-20:00")', { timeout: 5000 })
    expect(await row.textContent()).toMatch(/2027-06-3008:00-20:008 服务时间小时15分钟李娜/)
    // The edited project's repair teams: a team, and a technician in it.
    await page.fill('#org-team-name', '水电组')
    await page.click('#org-team-form button[type=submit]')
    await page.waitForSelector('#org-technician-team option:has-text("水电组")', {
      state: 'attached',
      timeout: 5000,
    })
    await page.selectOption('#org-technician-team', { label: '水电组' })
    await page.fill('#org-technician-name', '刘师傅')
    await page.fill('#org-technician-phone', '13900000066')
    await page.click('#org-technician-form button[type=submit]')
    await page.waitForSelector('#org-team-body tr:has-text("刘师傅")', { timeout: 5000 })
    await shows('#org-team-body', '水电组刘师傅 13900000066未设置')
    await page.fill('#org-branch-name', '宁波分公司')
    await page.click('#org-branch-form button[type=submit]')
    await page.waitForSelector('#org-branches tr:has-text("宁波分公司")', { timeout: 5000 })

    await page.fill('#org-staff-name', '王芳')
    await page.fill('#org-staff-userid', 'wangfang')
    await page.fill('#org-staff-phone', '13900000088')
    await page.selectOption('#org-staff-role', 'ambassador')
    await page.selectOption('#org-staff-project', { label: '翠湖花园' })
    await page.click('#org-staff-form button[type=submit]')
    await page.waitForSelector('#org-staff-status:has-text("已添加：王芳")', { timeout: 5000 })
    await page.waitForSelector('#org-staff tr:has-text("wangfang")', { timeout: 5000 })
    expect(await page.locator('#org-staff tr', { hasText: 'wangfang' }).textContent()).toBe(
      '王芳wangfang客户大使翠湖花园在职',
    )
    // New households of 3栋 go to 王强.
    await page.selectOption('#org-rule-project', { label: '翠湖花园' })
    await page.fill('#org-rule-building', '3栋')
    await page.selectOption('#org-rule-ambassador', { label: '王强（客户大使）' })
    await page.click('#org-rule-form button[type=submit]')
    await page.waitForSelector('#org-rules tr:has-text("王强")', { timeout: 5000 })
    await shows('#org-rules', '翠湖花园3栋王强删除')
    // A repair category of the developer's own, reported at once as an emergency.
    await page.selectOption('#org-category-kind', 'repair')
    await page.fill('#org-category-name', '电梯困人')
    await page.check('#org-category-emergency')
    await page.click('#org-category-form button[type=submit]')
    await page.waitForSelector('#org-categories tr:has-text("电梯困人")', { timeout: 5000 })
    expect(await page.locator('#org-categories tr', { hasText: '电梯困人' }).textContent()).toBe(
      '报修电梯困人无是停用',
    )
    const [category] = await db.dataSource.query(
      `SELECT emergency, active FROM service_category WHERE name = '电梯困人'`,
    )
    expect(category).toEqual({ emergency: true, active: true })
    await page.locator('#org-categories tr', { hasText: '电梯困人' }).locator('button').click()
    await page.waitForSelector('#org-categories tr:has-text("已停用")', { timeout: 5000 })
    await page.screenshot({
      path: `${process.env.TMPDIR ?? '/tmp'}/anju-console-organisation.png`,
      fullPage: true,
    })
    await page.close()
    await db.dataSource.query(
      `UPDATE project SET service_hours = NULL, sla_policies = '{}', on_duty_staff_id = NULL, delivery_date = NULL
        WHERE code = 'CUIHU';
       DELETE FROM assignment_rule`,
    )
  })

  it('says so when the token is wrong', async () => {
    const page = await browser.newPage()
    await page.goto(`${app.adminUrl}/console`)
    await page.fill('#token', 'wrong-token')
    await page.click('#sign-in')
    await page.waitForSelector('#status:not(:empty)')
    expect(await page.textContent('#status')).toMatch(/^出错了：/)
    expect(await page.isHidden('#app')).toBe(true)
    await page.close()
  })
})
