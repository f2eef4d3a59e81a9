import { PassThrough } from 'node:stream'
import { startApp, type RunningApp } from '../../src/app'
import { loadConfig } from '../../src/config'
import { chineseWorkdayCalendar } from '../../src/domain/chinese-calendar'
import { TimerSweep } from '../../src/db/timer-sweep'
import { repairSlotTimerHandlers } from '../../src/services/organisation/repair-capacity'
import { testClock } from '../support/clock'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { silentLogger } from '../support/harness'

/**
 * Going live without SQL, as README's walk-through does it: an empty database, no demo data, the admin
 * token from ADMIN_TOKEN; a project, an ambassador and their token, the customer file, a repair
 * capacity template — all through the API. Then an owner binds with the address as they write it
 * ("3号楼1单元1201") and books a visit in a slot the template opened.
 */
const ADMIN = 'going-live-admin-token-0123456789'
let db: TestDatabase
let app: RunningApp
let output = ''
const stdin = new PassThrough()

beforeAll(async () => {
  db = await createTestDatabase()
  const stdout = new PassThrough()
  stdout.on('data', (chunk) => (output += chunk.toString()))
  const config = loadConfig({ DATABASE_URL: db.url, CONSOLE_CHANNEL: 'on', PORT: '0', ADMIN_TOKEN: ADMIN })
  app = await startApp(config, silentLogger, { stdin, stdout, clock: testClock })
})
afterAll(async () => {
  stdin.end()
  await app.console?.whenInputEnds()
  await app.shutdown()
  await db.drop()
})

async function api(
  path: string,
  init: { method?: string; body?: unknown; type?: string; token?: string } = {},
) {
  const response = await fetch(`${app.adminUrl}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${init.token ?? ADMIN}`,
      'content-type': init.type ?? 'application/json',
    },
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : JSON.stringify(init.body),
  })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, json: (await response.json()) as any }
}

async function ownerSays(line: string, expected: RegExp): Promise<string> {
  const from = output.length
  stdin.write(`${line}\n`)
  for (let i = 0; i < 400; i += 1) {
    if (expected.test(output.slice(from))) return output.slice(from)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`after "${line}" expected ${expected}; got:\n${output.slice(from)}`)
}

describe('going live from an empty database', () => {
  it('sets up by API calls alone, then an owner binds with a 号楼 address and books a repair', async () => {
    expect((await api('/projects')).json.items).toEqual([])

    const branch = await api('/branches', { method: 'POST', body: { name: '杭州分公司' } })
    expect(branch.status).toBe(201)
    const unknownBranch = await api('/projects', {
      method: 'POST',
      body: { code: 'HUAYUAN', name: '华苑', branch: '杭洲分公司' },
    })
    expect(unknownBranch).toMatchObject({ status: 422, json: { code: 'UNKNOWN_BRANCH' } })
    const project = await api('/projects', {
      method: 'POST',
      body: {
        code: 'HUAYUAN',
        name: '华苑',
        city: '杭州',
        branch: '杭州分公司',
        address: '杭州市西湖区文三路 1 号',
      },
    })
    expect(project.status).toBe(201)
    expect(
      (await api('/projects', { method: 'POST', body: { code: 'HUAYUAN', name: 'x', branch: '杭州分公司' } }))
        .status,
    ).toBe(409)

    const ambassador = await api('/staff', {
      method: 'POST',
      body: {
        name: '刘洋',
        wecomUserId: 'liuyang',
        phone: '13900000021',
        role: 'ambassador',
        projectId: project.json.id,
      },
    })
    expect(ambassador.status).toBe(201)
    const token = await api('/tokens', {
      method: 'POST',
      body: { name: '刘洋', role: 'ambassador', ambassadorId: ambassador.json.id },
    })
    expect(token.status).toBe(201)

    const imported = await api('/imports/customers', {
      method: 'POST',
      type: 'text/csv',
      body: [
        'project_code,project_name,building,room,delivered_on,household_code,stage,customer_class,owner_name,phone,relation,ambassador',
        'HUAYUAN,华苑,3号楼,1-1201,2026-06-30,HY-0001,磨合期,业主,陈晓,13812345678,本人,liuyang',
      ].join('\n'),
    })
    expect(imported.json).toMatchObject({ rows: 1, imported: 1, errors: [] })

    const capacity = await api(`/projects/${project.json.id}/repair-capacity`, {
      method: 'PUT',
      body: {
        windows: [
          { start: '09:00', end: '12:00', capacity: 2 },
          { start: '14:00', end: '17:00', capacity: 2 },
        ],
        daysAhead: 14,
      },
    })
    expect(capacity.status).toBe(200)
    expect(capacity.json.opened).toBeGreaterThan(0)
    const overlapping = await api(`/projects/${project.json.id}/repair-capacity`, {
      method: 'PUT',
      body: {
        windows: [
          { start: '09:00', end: '12:00', capacity: 2 },
          { start: '11:00', end: '13:00', capacity: 1 },
        ],
      },
    })
    expect(overlapping.status).toBe(422)

    // The ambassador's token sees their own project's households only, with the new owner in it.
    const households = await api('/households?q=陈晓', { token: token.json.token })
    expect(households.json.items).toHaveLength(1)

    // The owner, on the console: binds with the address as they write it, then books a visit.
    await ownerSays('你好', /个人信息保护提示/)
    await ownerSays('同意', /请输入购房时登记的手机号/)
    await ownerSays('13812345678', /楼栋和房号/)
    await ownerSays('3号楼1单元1201', /陈晓您好[\s\S]*预约报修/)
    await ownerSays('报修', /请选择报修类别/)
    await ownerSays('2', /请描述需要维修的情况/)
    await ownerSays('卫生间插座没有电', /如有照片/)
    const slots = await ownerSays('跳过', /请选择上门时间[\s\S]*请回复序号/)
    // Opened by the template: working days only, both windows.
    expect(slots).toMatch(/1\. \d+月\d+日（周.）09:00-12:00\n2\. \d+月\d+日（周.）14:00-17:00/)
    const slotDays: { day: string }[] = await db.dataSource.query(
      `SELECT DISTINCT to_char(starts_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day FROM repair_slot`,
    )
    expect(slotDays.length).toBeGreaterThan(0)
    expect(slotDays.filter(({ day }) => !chineseWorkdayCalendar.isWorkday(day))).toEqual([])
    await ownerSays('1', /请确认报修信息[\s\S]*房屋：华苑 3号楼 1-1201/)
    const reply = await ownerSays('是', /报修已预约/)
    expect(reply).toMatch(/报修已预约，工单号 BX\d{8}-\d{4}[\s\S]*客户大使刘洋/)
    const [slot] = await db.dataSource.query(
      `SELECT s.booked, s.capacity FROM service_case c JOIN repair_slot s ON s.id = c.repair_slot_id
        WHERE c.kind = 'repair' ORDER BY c.id DESC LIMIT 1`,
    )
    expect(slot).toEqual({ booked: 1, capacity: 2 })

    // Nights later the template has opened further days by itself, keeping the booked slot as it was.
    const lastDay = async () =>
      (await db.dataSource.query(`SELECT max(starts_at) AS last FROM repair_slot`))[0].last as Date
    const before = await lastDay()
    const later = new Date(testClock().getTime() + 5 * 86_400_000)
    await new TimerSweep(
      db.dataSource,
      repairSlotTimerHandlers(chineseWorkdayCalendar),
      silentLogger,
      () => later,
    ).sweep()
    expect((await lastDay()).getTime()).toBeGreaterThan(before.getTime())
    const [again] = await db.dataSource.query(
      `SELECT s.booked FROM service_case c JOIN repair_slot s ON s.id = c.repair_slot_id WHERE c.kind = 'repair'`,
    )
    expect(again.booked).toBe(1)
    const [next] = await db.dataSource.query(
      `SELECT due_at FROM timer WHERE kind = 'repair.slots' AND status = 'pending'`,
    )
    expect(next.due_at.getTime()).toBeGreaterThan(later.getTime())

    // 刘洋 leaves: 王芳 takes over the household and the open repair, with a record; 刘洋's token stops.
    const successor = await api('/staff', {
      method: 'POST',
      body: { name: '王芳', wecomUserId: 'wangfang', role: 'ambassador', projectId: project.json.id },
    })
    const left = await api(`/staff/${ambassador.json.id}/leave`, {
      method: 'POST',
      body: { successorId: successor.json.id },
    })
    expect(left).toEqual({ status: 200, json: { households: 1, cases: 1, team: 0 } })
    expect((await api('/households?q=陈晓', { token: token.json.token })).status).toBe(401)
    const [moved] = await db.dataSource.query(
      `SELECT c.ambassador_id, e.data->>'reason' AS reason FROM service_case c
         JOIN case_event e ON e.case_id = c.id AND e.kind = 'reassigned' WHERE c.kind = 'repair'`,
    )
    expect(moved).toEqual({ ambassador_id: successor.json.id, reason: '离职交接' })
    expect(
      (
        await api(`/staff/${ambassador.json.id}/leave`, {
          method: 'POST',
          body: { successorId: successor.json.id },
        })
      ).status,
    ).toBe(404)
    await ownerSays('联系客户大使', /王芳/)

    // An emergency goes to the project's on-duty staff at any hour, on a 30-minute clock, without a slot.
    const onDuty = await api('/staff', {
      method: 'POST',
      body: { name: '赵强', wecomUserId: 'zhaoqiang', role: 'ambassador', projectId: project.json.id },
    })
    expect(
      (
        await api(`/projects/${project.json.id}`, {
          method: 'PATCH',
          body: { onDutyStaffId: onDuty.json.id },
        })
      ).status,
    ).toBe(200)
    await ownerSays('报修', /请选择报修类别/)
    await ownerSays('1', /请描述需要维修的情况/)
    const emergency = await ownerSays('厨房燃气泄漏了，味道很大', /紧急报修/)
    expect(emergency).toMatch(/已按紧急报修（燃气泄漏）登记[\s\S]*值班人员赵强[\s\S]*关闭燃气总阀/)
    const [urgent] = await db.dataSource.query(
      `SELECT extract(epoch FROM reply_due_at - created_at)::int AS seconds, repair_slot_id FROM service_case
        WHERE details->>'emergency' = 'gas'`,
    )
    expect(urgent).toEqual({ seconds: 1800, repair_slot_id: null })
    const [call] = await db.dataSource.query(
      `SELECT payload->>'text' AS text FROM outbox WHERE channel = 'wecom-app' AND recipient = 'zhaoqiang'`,
    )
    expect(call.text).toMatch(/^【紧急报修·燃气泄漏】BX\d{8}-\d{4}\n业主：陈晓（华苑 3号楼 1-1201）/)

    // Every step above is in the audit log, which admins read by filter, page by page, or as CSV.
    const staffActions = await api('/audit-log?action=staff.')
    expect(staffActions.json.items.map((e: { action: string }) => e.action)).toEqual([
      'staff.create',
      'staff.left',
      'staff.create',
      'staff.create',
    ])
    const projectLog = await api(`/audit-log?subjectType=project&subjectId=${project.json.id}&limit=1`)
    expect(projectLog.json.items).toHaveLength(1)
    const older = await api(
      `/audit-log?subjectType=project&subjectId=${project.json.id}&before=${projectLog.json.nextBefore}`,
    )
    expect(older.json.items.map((e: { action: string }) => e.action)).toContain('project.create')
    const csv = await fetch(`${app.adminUrl}/api/v1/audit-log?action=staff.left&format=csv`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    })
    const bytes = Buffer.from(await csv.arrayBuffer())
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf])) // for Excel
    const sheet = bytes.subarray(3).toString('utf8')
    expect(sheet.startsWith('id,at,actor,action,subject_type,subject_id,details\r\n')).toBe(true)
    expect(sheet).toContain('staff.left')
    const successorToken = await api('/tokens', {
      method: 'POST',
      body: { name: '王芳', role: 'ambassador', ambassadorId: successor.json.id },
    })
    expect((await api('/audit-log', { token: successorToken.json.token })).status).toBe(403)
  })
})
