import { phoneLookupKey as phoneKey } from '../../src/domain/phone-vault'
import type { RunningApp } from '../../src/app'
import { startTestApp } from '../support/app'
import { issueToken } from '../../src/admin/auth'
import { IMPORT_COLUMNS } from '../../src/services/imports/customer-import'
import { shanghaiMonth, shanghaiMonthStart, testClock } from '../support/clock'
import { createTestDatabase, type TestDatabase } from '../support/db'

const ADMIN = 'test-admin-token-0123456789'
const METRICS = 'test-metrics-token-0123456789'
let db: TestDatabase
let app: RunningApp
const tokens: Record<string, string> = {}

beforeAll(async () => {
  db = await createTestDatabase()
  app = await startTestApp(db, { CONSOLE_CHANNEL: 'on', ADMIN_TOKEN: ADMIN, METRICS_TOKEN: METRICS })
  const ambassador = async (wecom: string) =>
    (await db.dataSource.query(`SELECT id FROM ambassador WHERE wecom_user_id = $1`, [wecom]))[0].id as number
  tokens.admin = ADMIN
  tokens.lina = await issueToken(db.dataSource, {
    name: '李娜',
    role: 'ambassador',
    ambassadorId: await ambassador('lina'),
  })
  tokens.wangqiang = await issueToken(db.dataSource, {
    name: '王强',
    role: 'ambassador',
    ambassadorId: await ambassador('wangqiang'),
  })
  tokens.group = await issueToken(db.dataSource, { name: '集团客服', role: 'group_centre' })
  tokens.letters = await issueToken(db.dataSource, { name: '工程部', role: 'letter_staff' })
  // Two cases: one of 李娜's households (张三), one of 王强's (王五), both filed earlier this month (on
  // the 1st at 00:30, a minute and two after midnight) so that this month's reports count them.
  await db.dataSource.query(
    `INSERT INTO service_case (case_no, kind, category, status, project_id, household_id, owner_id, intake_channel, description,
                               ambassador_id, reply_due_at, created_at)
     SELECT v.no, 'complaint', v.category, 'open', p.id, o.household_id, o.id, 'console', v.description,
            (SELECT ambassador_id FROM ambassador_assignment WHERE household_id = o.household_id AND ended_at IS NULL),
            $1::timestamptz + v.due, greatest($2::timestamptz + interval '1 minute', $1::timestamptz - v.age)
       FROM (VALUES ('TS20261101-0001', '${phoneKey('13800000001')}', '工程质量', '外墙渗水', interval '-1 hour', interval '3 days'),
                    ('TS20261101-0002', '${phoneKey('13800000003')}', '物业服务', '电梯故障', interval '10 hours', interval '2 days'))
            AS v(no, phone_key, category, description, due, age)
       JOIN owner o ON o.phone_key = v.phone_key, (SELECT id FROM project LIMIT 1) p`,
    [testClock(), shanghaiMonthStart()],
  )
})
afterAll(async () => {
  await app.shutdown()
  await db.drop()
})

async function call(
  who: string | null,
  path: string,
  init: { method?: string; body?: unknown; type?: string } = {},
) {
  const headers: Record<string, string> = {}
  if (who) headers.authorization = `Bearer ${tokens[who] ?? who}`
  let body: string | undefined
  if (init.body !== undefined) {
    headers['content-type'] = init.type ?? 'application/json'
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body)
  }
  const response = await fetch(`${app.adminUrl}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers,
    body,
  })
  const text = await response.text()
  const type = response.headers.get('content-type') ?? ''
  return { status: response.status, type, json: type.includes('json') ? JSON.parse(text) : null, text }
}

describe('access control', () => {
  it('refuses a request with no token or a wrong one (401, problem+json)', async () => {
    const none = await call(null, '/cases')
    expect(none.status).toBe(401)
    expect(none.type).toMatch(/application\/problem\+json/)
    expect(none.json.code).toBe('UNAUTHENTICATED')
    expect((await call('anju_not-a-real-token', '/cases')).status).toBe(401)
  })

  it('lets each role do its own work only', async () => {
    expect((await call('letters', '/cases')).status).toBe(403)
    expect((await call('lina', '/reports/sla?month=2026-11')).status).toBe(403)
    expect((await call('group', '/reports/sla?month=2026-11')).status).toBe(200)
    expect((await call('lina', '/imports/customers', { method: 'POST', body: [] })).status).toBe(403)
    expect(
      (
        await call('letters', '/letters', {
          method: 'POST',
          body: { kind: 'progress', projectId: 1, title: 'x', body: 'y' },
        })
      ).status,
    ).toBe(400)
  })

  it('shows an ambassador only their own cases, and audits a reach for someone else’s', async () => {
    const mine = await call('lina', '/cases')
    expect(mine.json.items.map((c: { caseNo: string }) => c.caseNo)).toEqual(['TS20261101-0001'])
    const other = await call('lina', '/cases/TS20261101-0002')
    expect(other.status).toBe(404)
    const [audit] = await db.dataSource.query(
      `SELECT actor, action, subject_id FROM audit_log WHERE action = 'case.denied' ORDER BY id DESC LIMIT 1`,
    )
    expect(audit).toMatchObject({
      action: 'case.denied',
      subject_id: 'TS20261101-0002',
      actor: expect.stringMatching(/李娜/),
    })
    expect((await call('wangqiang', '/cases/TS20261101-0002')).status).toBe(200)
    expect((await call('group', '/cases')).json.items).toHaveLength(2)
  })

  it('limits a branch head to the branch of their project', async () => {
    const [head] = await db.dataSource.query(`SELECT id FROM ambassador WHERE wecom_user_id = 'zhoujianguo'`)
    const own = await issueToken(db.dataSource, {
      name: '周建国',
      role: 'branch_head',
      ambassadorId: head.id,
    })
    expect((await call(own, '/cases')).json.items).toHaveLength(2)
    await db.dataSource.query(
      `INSERT INTO branch (name) VALUES ('上海分公司') ON CONFLICT DO NOTHING;
       INSERT INTO project (code, name, branch) VALUES ('OTHER', '别处花园', '上海分公司');
       INSERT INTO ambassador (name, wecom_user_id, project_id, role)
       SELECT '吴经理', 'wujingli', id, 'branch_head' FROM project WHERE code = 'OTHER'`,
    )
    const [other] = await db.dataSource.query(`SELECT id FROM ambassador WHERE wecom_user_id = 'wujingli'`)
    const elsewhere = await issueToken(db.dataSource, {
      name: '吴经理',
      role: 'branch_head',
      ambassadorId: other.id,
    })
    expect((await call(elsewhere, '/cases')).json.items).toHaveLength(0)
    // The group narrows by branch; a branch head asking for another branch still sees only their own.
    expect(
      (await call('group', `/cases?branch=${encodeURIComponent('杭州分公司')}`)).json.items,
    ).toHaveLength(2)
    expect(
      (await call('group', `/cases?branch=${encodeURIComponent('上海分公司')}`)).json.items,
    ).toHaveLength(0)
    expect((await call(own, `/cases?branch=${encodeURIComponent('上海分公司')}`)).json.items).toHaveLength(2)
    expect((await call(elsewhere, '/cases/TS20261101-0001')).status).toBe(404)
    const [{ id }] = await db.dataSource.query(`SELECT id FROM household WHERE code = 'CUIHU-H0001'`)
    expect((await call(elsewhere, `/households/${id}`)).status).toBe(404)
    expect((await call(own, `/households/${id}`)).status).toBe(200)

    // Households move within the branch only.
    const reassign = (who: string, ambassadorId: number) =>
      call(who, `/households/${id}/reassign`, { method: 'POST', body: { ambassadorId, reason: '调岗交接' } })
    expect((await reassign(elsewhere, other.id)).status).toBe(404)
    expect((await reassign(own, other.id)).status).toBe(422)

    // A branch head issues and revokes tokens for the ambassadors of the branch, and no others.
    const [lina] = await db.dataSource.query(`SELECT id FROM ambassador WHERE wecom_user_id = 'lina'`)
    const issued = await call(own, '/tokens', {
      method: 'POST',
      body: { name: '李娜', role: 'ambassador', ambassadorId: lina.id },
    })
    expect(issued.status).toBe(201)
    expect((await call(issued.json.token, '/me')).json).toMatchObject({
      role: 'ambassador',
      ambassadorId: lina.id,
    })
    expect(
      (
        await call(elsewhere, '/tokens', {
          method: 'POST',
          body: { name: '李娜', role: 'ambassador', ambassadorId: lina.id },
        })
      ).status,
    ).toBe(422)
    expect(
      (await call(own, '/tokens', { method: 'POST', body: { name: '我', role: 'group_centre' } })).status,
    ).toBe(403)
    expect((await call(own, '/tokens')).json.items.map((t: { id: number }) => t.id)).toContain(issued.json.id)
    expect((await call(elsewhere, '/tokens')).json.items.map((t: { id: number }) => t.id)).not.toContain(
      issued.json.id,
    )
    expect((await call(elsewhere, `/tokens/${issued.json.id}/revoke`, { method: 'POST' })).status).toBe(404)
    expect((await call(own, `/tokens/${issued.json.id}/revoke`, { method: 'POST' })).status).toBe(200)
    expect((await call(issued.json.token, '/me')).status).toBe(401)

    // Reports too cover the head's own branch only.
    const [{ month, branch }] = await db.dataSource.query(
      `SELECT to_char(c.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, p.branch
         FROM service_case c JOIN project p ON p.id = c.project_id WHERE c.case_no = 'TS20261101-0001'`,
    )
    expect((await call(own, `/reports/complaints?month=${month}`)).json.total).toBeGreaterThan(0)
    expect((await call(elsewhere, `/reports/complaints?month=${month}`)).json.total).toBe(0)
    const branchesSeen = async (who: string) =>
      (await call(who, `/reports/branches?month=${month}`)).json.branches.map(
        (b: { branch: string }) => b.branch,
      )
    expect(await branchesSeen(own)).toEqual([branch])
    expect(await branchesSeen(elsewhere)).toEqual([])
    expect(await branchesSeen('group')).toContain(branch)
  })

  it('masks phone numbers unless the role needs them, and audits every file read', async () => {
    const [{ id }] = await db.dataSource.query(`SELECT id FROM household WHERE code = 'CUIHU-H0001'`)
    const [{ since }] = await db.dataSource.query(`SELECT COALESCE(max(id), 0) AS since FROM audit_log`)
    const forLina = await call('lina', `/households/${id}`)
    expect(forLina.json.owners[0].phone).toBe('13800000001')
    const forGroup = await call('group', `/households/${id}`)
    expect(forGroup.json.owners[0].phone).toBe('138****0001')
    expect((await call('wangqiang', `/households/${id}`)).status).toBe(404)
    const reads = await db.dataSource.query(
      `SELECT action FROM audit_log WHERE subject_type = 'household' AND subject_id = $1 AND id > $2 ORDER BY id`,
      [String(id), since],
    )
    expect(reads.map((r: { action: string }) => r.action)).toEqual([
      'customer_file.read',
      'customer_file.read',
      'customer_file.denied',
    ])
  })
})

describe('token management', () => {
  it('issues a token shown once, lets it work, and revokes it at once', async () => {
    const issued = await call('admin', '/tokens', {
      method: 'POST',
      body: { name: '周建国', role: 'branch_head' },
    })
    expect(issued.status).toBe(201)
    expect(issued.json.token).toMatch(/^anju_/)
    expect((await call(issued.json.token, '/me')).json).toMatchObject({ name: '周建国', role: 'branch_head' })
    const listed = await call('admin', '/tokens')
    expect(JSON.stringify(listed.json)).not.toContain(issued.json.token)
    expect((await call('admin', `/tokens/${issued.json.id}/revoke`, { method: 'POST' })).status).toBe(200)
    expect((await call(issued.json.token, '/me')).status).toBe(401)
    expect((await call('lina', '/tokens')).status).toBe(403)
    const ambassadorWithoutId = await call('admin', '/tokens', {
      method: 'POST',
      body: { name: 'x', role: 'ambassador' },
    })
    expect(ambassadorWithoutId.status).toBe(422)
  })
})

describe('customer import', () => {
  it('imports 10,000 owners, reporting exactly the 1% bad rows', async () => {
    const bad = new Set<number>()
    const lines = [IMPORT_COLUMNS.join(',')]
    for (let i = 1; i <= 10_000; i += 1) {
      const building = `${(i % 20) + 1}栋`
      let phone = `139${String(i).padStart(8, '0')}`
      let delivered = '2025-06-30'
      if (i % 100 === 0) {
        bad.add(i)
        if (i % 300 === 0)
          phone = '12345' // half a phone number
        else if (i % 200 === 0)
          delivered = '2025-02-30' // no such day
        else phone = ''
      }
      lines.push(
        [
          'BULK',
          '批量花园',
          building,
          String(1000 + i),
          delivered,
          `BULK-H${i}`,
          '磨合期',
          '业主',
          `业主${i}`,
          phone,
          '本人',
          'lina',
          '杭州分公司',
        ].join(','),
      )
    }
    const started = Date.now()
    const report = await call('admin', '/imports/customers', {
      method: 'POST',
      body: lines.join('\n'),
      type: 'text/csv',
    })
    expect(report.status).toBe(200)
    expect(report.json.rows).toBe(10_000)
    expect(report.json.imported).toBe(9_900)
    expect(new Set(report.json.errors.map((e: { row: number }) => e.row))).toEqual(bad)
    expect(report.json.errors.find((e: { row: number }) => e.row === 200)).toMatchObject({
      field: 'delivered_on',
    })
    const [{ n }] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM owner o JOIN household h ON h.id = o.household_id WHERE h.code LIKE 'BULK-%'`,
    )
    expect(n).toBe(9_900)
    expect(Date.now() - started).toBeGreaterThan(0)
    // The project lands in its branch, so the branch head's scope covers it.
    expect((await db.dataSource.query(`SELECT branch FROM project WHERE code = 'BULK'`))[0].branch).toBe(
      '杭州分公司',
    )

    // The same file again changes nothing.
    const again = await call('admin', '/imports/customers', {
      method: 'POST',
      body: lines.join('\n'),
      type: 'text/csv',
    })
    expect(again.json.imported).toBe(9_900)
    const [{ n: after }] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM owner o JOIN household h ON h.id = o.household_id WHERE h.code LIKE 'BULK-%'`,
    )
    expect(after).toBe(9_900)
  }, 60_000)

  it('takes JSON too, and names an unknown ambassador as the row’s error', async () => {
    const report = await call('admin', '/imports/customers', {
      method: 'POST',
      body: [
        {
          project_code: 'JSONP',
          project_name: 'JSON 苑',
          building: '1栋',
          room: '101',
          household_code: 'J1',
          owner_name: '甲',
          phone: '13700000001',
          ambassador: 'nobody',
        },
        {
          project_code: 'JSONP',
          project_name: 'JSON 苑',
          building: '1栋',
          room: '102',
          household_code: 'J2',
          owner_name: '乙',
          phone: '13700000002',
        },
      ],
    })
    expect(report.json).toEqual({
      rows: 2,
      imported: 1,
      errors: [{ row: 1, field: 'ambassador', message: expect.stringMatching(/nobody/) }],
    })
  })
})

describe('cases', () => {
  it('pages through the list with a cursor, never repeating a case', async () => {
    const first = await call('admin', '/cases?limit=1')
    const second = await call('admin', `/cases?limit=1&cursor=${first.json.nextCursor}`)
    expect(first.json.items[0].caseNo).not.toBe(second.json.items[0].caseNo)
    expect(second.json.nextCursor).toBeNull()
    expect(
      (await call('admin', '/cases?sla=overdue')).json.items.map((c: { caseNo: string }) => c.caseNo),
    ).toEqual(['TS20261101-0001'])
  })

  it('moves a case through its lifecycle and refuses impossible moves with 409', async () => {
    expect(
      (
        await call('lina', '/cases/TS20261101-0001/transition', {
          method: 'POST',
          body: { status: 'in_progress' },
        })
      ).status,
    ).toBe(200)
    const bad = await call('lina', '/cases/TS20261101-0001/transition', {
      method: 'POST',
      body: { status: 'reopened' },
    })
    expect(bad.status).toBe(409)
    expect(bad.json.code).toBe('BAD_TRANSITION')
    const detail = await call('lina', '/cases/TS20261101-0001')
    expect(detail.json.events.map((e: { kind: string }) => e.kind)).toContain('in_progress')
  })

  it('answers invalid input with 400 and the fields, and duplicates with 409', async () => {
    const invalid = await call('lina', '/cases/TS20261101-0001/transition', {
      method: 'POST',
      body: { status: 'teleported' },
    })
    expect(invalid.status).toBe(400)
    expect(invalid.json).toMatchObject({ code: 'INVALID_INPUT', details: [{ field: 'status' }] })
    expect(
      (
        await call('admin', '/contractors', {
          method: 'POST',
          body: { name: '宏达水电', contractValue: 100000 },
        })
      ).status,
    ).toBe(201)
    const duplicate = await call('admin', '/contractors', {
      method: 'POST',
      body: { name: '宏达水电', contractValue: 1 },
    })
    expect(duplicate.status).toBe(409)
    expect(duplicate.json.code).toBe('ALREADY_EXISTS')
  })
})

describe('letters', () => {
  it('broadcasts under channel rules, tracks each recipient, and freezes what was published', async () => {
    const [project] = await db.dataSource.query(`SELECT id FROM project WHERE code = 'CUIHU'`)
    const created = await call('letters', '/letters', {
      method: 'POST',
      body: {
        kind: 'progress',
        projectId: project.id,
        title: '12月工程进度告知函',
        body: '园林景观施工已开始。',
      },
    })
    expect(created.status).toBe(201)
    const published = await call('letters', `/letters/${created.json.id}/publish`, { method: 'POST' })
    // Seeded owners: 张三 chats on the console; the other three have no chat identity yet.
    expect(published.json).toEqual({ recipients: 4, queued: 1, held: 3 })
    expect((await call('letters', `/letters/${created.json.id}/publish`, { method: 'POST' })).status).toBe(
      409,
    )

    await app.outbox.settle()
    const progress = await call('letters', `/letters/${created.json.id}`)
    expect(progress.json.progress).toMatchObject({
      total: 4,
      reached: 1,
      done: true,
      byStatus: { delivered: 1, held: 3 },
    })
    const held = await call('letters', `/letters/${created.json.id}/deliveries?status=held`)
    expect(held.json.items.map((d: { holdReason: string }) => d.holdReason)).toEqual([
      'NO_CHANNEL',
      'NO_CHANNEL',
      'NO_CHANNEL',
    ])
    const tasks = await db.dataSource.query(
      `SELECT recipient, payload->>'text' AS text FROM outbox WHERE channel = 'wecom-app' AND payload->>'text' LIKE '%函件需另行送达%' ORDER BY recipient`,
    )
    expect(tasks.map((t: { recipient: string }) => t.recipient)).toEqual(['lina', 'wangqiang'])

    const waiting = await call('group', '/outbox?status=held')
    expect(waiting.status).toBe(200)
    expect((await call('lina', '/outbox')).status).toBe(403)
    await expect(
      db.dataSource.query(`UPDATE letter SET body = '改过的内容' WHERE id = $1`, [created.json.id]),
    ).rejects.toThrow(/cannot be changed/)
    await expect(
      db.dataSource.query(`DELETE FROM letter_delivery WHERE letter_id = $1`, [created.json.id]),
    ).rejects.toThrow(/append-only/)
  })
})

describe('reports, OpenAPI and metrics', () => {
  it('reports the month as JSON and as CSV', async () => {
    const month = shanghaiMonth()
    const complaints = await call('group', `/reports/complaints?month=${month}`)
    expect(complaints.json.byCategory.length).toBeGreaterThan(0)
    const csv = await call('group', `/reports/complaints?month=${month}&format=csv`)
    expect(csv.type).toMatch(/text\/csv/)
    expect(csv.text).toMatch(/^\uFEFF?dimension,key,complaints\r\ncategory,/)
    for (const report of ['sla', 'satisfaction', 'contractors', 'branches']) {
      expect((await call('group', `/reports/${report}?month=${month}`)).status).toBe(200)
    }
    expect((await call('group', '/reports/sla?month=2026-13')).status).toBe(400)
  })

  it('serves an OpenAPI document of every endpoint', async () => {
    const response = await fetch(`${app.adminUrl}/api/v1/openapi.json`)
    const doc = (await response.json()) as { openapi: string; paths: Record<string, any> } // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/cases',
        '/api/v1/cases/{caseNo}/transition',
        '/api/v1/letters/{id}/publish',
        '/api/v1/imports/customers',
      ]),
    )
    expect(
      doc.paths['/api/v1/cases/{caseNo}/transition'].post.requestBody.content['application/json'].schema
        .properties.status.enum,
    ).toContain('closed')
  })

  it('exposes Prometheus metrics of the queues to a scraper with the metrics token', async () => {
    expect((await fetch(`${app.adminUrl}/metrics`)).status).toBe(401)
    const wrong = await fetch(`${app.adminUrl}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })
    expect(wrong.status).toBe(401)
    const scraped = await fetch(`${app.adminUrl}/metrics`, {
      headers: { authorization: `Bearer ${METRICS}` },
    })
    expect(scraped.status).toBe(200)
    const text = await scraped.text()
    expect(text).toMatch(/# TYPE anju_outbox_messages gauge/)
    expect(text).toMatch(/anju_cases_open\{kind="complaint",sla="breached"\} \d+/)
    expect(text).toMatch(/anju_process_cpu_user_seconds_total/)
  })
})
