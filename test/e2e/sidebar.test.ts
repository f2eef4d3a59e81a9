import { phoneLookupKey as phoneKey } from '../../src/domain/phone-vault'
import { getJsApiSignature } from '@wecom/crypto'
import type { Browser } from 'playwright-core'
import { describeWithBrowser, launchChromium } from '../support/browser'
import type { RunningApp } from '../../src/app'
import { startTestApp } from '../support/app'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { FileMediaStore } from '../../src/services/media/media-store'
import { testClock } from '../support/clock'
import { createTestDatabase, type TestDatabase } from '../support/db'
import http from 'node:http'
import type { SidebarFile } from '../../src/services/households/sidebar-file'
import { FakeWeCom } from '../support/fake-wecom'

/**
 * The ambassador's sidebar in headless Chromium (Debian's package; .ci/run installs it). WeCom's own
 * calls are replaced at the page's edge (window.anjuWeCom); everything behind them is real: the page,
 * the signature endpoint, the owner file, the OAuth session against the fake WeCom.
 */

describeWithBrowser('ambassador sidebar (headless Chromium)', () => {
  let db: TestDatabase
  let wecom: FakeWeCom
  let app: RunningApp
  let browser: Browser
  const dataDir = mkdtempSync(path.join(tmpdir(), 'anju-sidebar-'))

  beforeAll(async () => {
    db = await createTestDatabase()
    wecom = new FakeWeCom()
    await wecom.start()
    app = await startTestApp(db, { ...wecom.env(), DATA_DIR: dataDir })
    await db.dataSource.query(
      `INSERT INTO channel_identity (channel, external_id, owner_id)
       SELECT 'wecom-kf', 'wkAnjuKf001|wmZhangSan', id FROM owner WHERE phone_key = '${phoneKey('13800000001')}'`,
    )
    await db.dataSource.query(
      `INSERT INTO service_case (case_no, kind, category, status, project_id, household_id, owner_id, intake_channel,
                                 description, ambassador_id, reply_due_at)
       SELECT 'TS20261120-0042', 'complaint', '工程质量', 'open', h.project_id, o.household_id, o.id, 'wecom-kf',
              '外墙渗水', (SELECT id FROM ambassador WHERE wecom_user_id = 'lina'), $1::timestamptz - interval '2 hours'
         FROM owner o, (SELECT id AS project_id FROM project LIMIT 1) h WHERE o.phone_key = '${phoneKey('13800000001')}'`,
      [testClock()],
    )
    await db.dataSource.query(
      `INSERT INTO canned_reply (project_id, title, body, created_by) SELECT id, '上门时间确认',
         '{业主}您好，我是您的客户大使{客户大使}，师傅上门时间已确认，有变化请致电 {大使电话}。', 'test' FROM project WHERE code = 'CUIHU'`,
    )
    // The owner's photo with the case, as the media fetcher keeps it.
    const photo = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#b44' } })
      .jpeg()
      .toBuffer()
    const store = new FileMediaStore(path.join(dataDir, 'media'))
    await store.put('media/test/wall', photo, 'image/jpeg')
    await store.put(
      'media/test/wall.thumb.jpg',
      await sharp(photo).resize({ width: 320 }).jpeg().toBuffer(),
      'image/jpeg',
    )
    await db.dataSource.query(
      `UPDATE service_case SET attachments = '["wecom-media:wall-photo"]' WHERE case_no = 'TS20261120-0042';
       INSERT INTO media_file (channel, source_ref, kind, status, next_attempt_at, created_at, storage_key, thumbnail_key, content_type)
       VALUES ('wecom-kf', 'wecom-media:wall-photo', 'image', 'stored', now(), now(), 'media/test/wall', 'media/test/wall.thumb.jpg', 'image/jpeg')`,
    )
    browser = await launchChromium()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await app?.shutdown()
    await wecom?.stop()
    await db?.drop()
  })

  async function openSidebar(member: string) {
    const page = await browser.newPage()
    await page.addInitScript(() => {
      const w = globalThis as unknown as Record<string, unknown>
      w.anjuWeCom = {
        register: (options: unknown) => (w.registered = options),
        getCurExternalContact: async () => ({ userId: 'wmZhangSan' }),
        sendChatMessage: async (text: string) => {
          ;(w.sent = (w.sent as string[] | undefined) ?? []).push(text)
        },
      }
    })
    await page.goto(`${app.adminUrl}/sidebar?code=code-${member}`)
    return page
  }

  it('shows the owner’s file with the overdue case to their own ambassador', async () => {
    const page = await openSidebar('lina')
    await page.waitForSelector('h1.owner')
    expect(await page.textContent('h1.owner')).toBe('张三')
    expect(await page.locator('li.unit').allTextContents()).toEqual([
      '翠湖花园 1栋 101 · 交付 2025-06-30',
      '翠湖花园 3栋 1201 · 交付 2025-06-30',
    ])
    const overdue = page.locator('li.case.overdue')
    expect(await overdue.count()).toBe(1)
    expect(await overdue.textContent()).toMatch(/TS20261120-0042 投诉·工程质量 · 待接单 · 时限/)
    // The owner's photo, through a short-lived signed link.
    await page.waitForFunction(() => {
      const img = (
        globalThis as unknown as {
          document: { querySelector(s: string): { complete: boolean; naturalWidth: number } | null }
        }
      ).document.querySelector('li.case img.thumb')
      return img !== null && img.complete && img.naturalWidth > 0
    })
    expect(await overdue.locator('a.photo').getAttribute('href')).toMatch(
      /^\/media\/\d+\?v=full&exp=\d+&sig=/,
    )
    await page.screenshot({ path: `${process.env.TMPDIR ?? '/tmp'}/anju-sidebar.png` })

    // The page registered with the corp id, the agent id and signatures of its own URL.
    const registered = (await page.evaluate(
      () => (globalThis as unknown as { registered: Record<string, unknown> }).registered,
    )) as { corpId: string; agentId: number; jsApiList: string[] }
    expect(registered).toMatchObject({
      corpId: wecom.corpId,
      agentId: wecom.agentId,
      jsApiList: ['getCurExternalContact', 'sendChatMessage'],
    })
    const pageUrl = page.url().split('#')[0]
    const config = (await page.evaluate(
      async (href) => (await fetch(`/api/sidebar/jssdk-config?url=${encodeURIComponent(href)}`)).json(),
      pageUrl,
    )) as { config: { timestamp: string; nonceStr: string; signature: string } }
    const expected = getJsApiSignature({
      url: pageUrl,
      ticket: FakeWeCom.corpTicket,
      nonceStr: config.config.nonceStr,
      timestamp: config.config.timestamp,
    })
    expect(config.config.signature).toBe(expected.signature)
    await page.close()
  })

  it('refuses another ambassador, and records the attempt', async () => {
    const page = await openSidebar('wangqiang')
    await page.waitForSelector('p.error')
    expect(await page.textContent('p.error')).toBe('这位业主不在您的名下，档案不可查看。')
    const [audit] = await db.dataSource.query(
      `SELECT actor, action FROM audit_log WHERE action LIKE 'customer_file.%' ORDER BY id DESC LIMIT 1`,
    )
    expect(audit.action).toBe('customer_file.denied')
    await page.close()
  })

  it('does not sign pages of other sites, and needs a WeCom session', async () => {
    const page = await openSidebar('lina')
    const status = await page.evaluate(
      async () =>
        (await fetch(`/api/sidebar/jssdk-config?url=${encodeURIComponent('https://evil.example/x')}`)).status,
    )
    expect(status).toBe(400)
    await page.close()
    const anonymous = await fetch(`${app.adminUrl}/api/sidebar/owner?externalUserId=wmZhangSan`)
    expect(anonymous.status).toBe(401)
    const badCode = await fetch(`${app.adminUrl}/sidebar?code=forged`, { redirect: 'manual' })
    expect(badCode.status).toBe(403)
  })

  it('redirects and signs for its own address, whatever Host a request names', async () => {
    const url = new URL(`${app.adminUrl}/sidebar`)
    const location = await new Promise<string>((resolve, reject) =>
      http
        .get(
          { host: url.hostname, port: url.port, path: url.pathname, headers: { host: 'evil.example' } },
          (r) => {
            r.resume()
            resolve(r.headers.location ?? '')
          },
        )
        .on('error', reject),
    )
    expect(location).toContain(`redirect_uri=${encodeURIComponent(`${app.adminUrl}/sidebar`)}`)
    expect(location).not.toContain('evil.example')
  })

  it('applies the API’s scope and phone masking to every staff role', async () => {
    // Another branch, with its own head.
    await db.dataSource.query(`INSERT INTO branch (name) VALUES ('上海分公司') ON CONFLICT DO NOTHING`)
    await db.dataSource.query(
      `WITH p AS (INSERT INTO project (code, name, city, branch) VALUES ('SH-BUND', '外滩壹号', '上海', '上海分公司') RETURNING id)
       INSERT INTO ambassador (name, wecom_user_id, project_id, role) SELECT '孙海', 'sunhai', id, 'branch_head' FROM p`,
    )
    const fileAs = async (member: string) => {
      const login = await fetch(`${app.adminUrl}/sidebar?code=code-${member}`, { redirect: 'manual' })
      const cookie = (login.headers.getSetCookie() ?? []).map((c) => c.split(';')[0]).join('; ')
      const answer = await fetch(`${app.adminUrl}/api/sidebar/owner?externalUserId=wmZhangSan`, {
        headers: { cookie },
      })
      return {
        status: answer.status,
        phone: answer.ok ? ((await answer.json()) as SidebarFile).owner.phone : null,
      }
    }
    expect(await fileAs('lina')).toEqual({ status: 200, phone: '13800000001' })
    // Her supervisor, the branch head and the group centre see the file, with the number masked.
    expect(await fileAs('chenjing')).toEqual({ status: 200, phone: '138****0001' })
    expect(await fileAs('zhoujianguo')).toEqual({ status: 200, phone: '138****0001' })
    expect(await fileAs('kfzx')).toEqual({ status: 200, phone: '138****0001' })
    // Another branch's head sees nothing, and the attempt is recorded.
    expect(await fileAs('sunhai')).toEqual({ status: 403, phone: null })
    const [denied] = await db.dataSource.query(
      `SELECT a.action FROM audit_log a WHERE a.actor = (SELECT 'staff:' || id FROM ambassador WHERE wecom_user_id = 'sunhai')
        ORDER BY a.id DESC LIMIT 1`,
    )
    expect(denied.action).toBe('customer_file.denied')
  })
})
