import type { RunningApp } from '../../src/app'
import { assignHousehold } from '../../src/services/households/assignment'
import { adminApi, startTestApp } from '../support/app'
import { createTestDatabase, type TestDatabase } from '../support/db'

/** Organisation through the admin API: a project's service hours and SLA policies, and assignment rules. */
const ADMIN = 'service-settings-admin-token-0123'
let db: TestDatabase
let app: RunningApp
let api: ReturnType<typeof adminApi>
let project: number

beforeAll(async () => {
  db = await createTestDatabase()
  app = await startTestApp(db, { ADMIN_TOKEN: ADMIN })
  api = adminApi(app, ADMIN)
  project = (await db.dataSource.query(`SELECT id FROM project WHERE code = 'CUIHU'`))[0].id
})
afterAll(async () => {
  await app.shutdown()
  await db.drop()
})

const listed = async () =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (await api('/projects', 'GET')).json.items.find((p: any) => p.id === project)

it('sets a project’s desk hours and reply time, shows them, and returns the project to the defaults', async () => {
  expect(await listed()).toMatchObject({ serviceHours: null, slaPolicies: {} })
  const set = await api(`/projects/${project}`, 'PATCH', {
    serviceHours: '08:00-21:00',
    slaPolicies: { complaintReply: { mode: 'business', minutes: 240 }, reminderLeadMinutes: 60 },
  })
  expect(set.status).toBe(200)
  expect(await listed()).toMatchObject({
    serviceHours: '08:00-21:00',
    slaPolicies: { complaintReply: { mode: 'business', minutes: 240 }, reminderLeadMinutes: 60 },
  })
  // Other fields leave the settings alone.
  expect((await api(`/projects/${project}`, 'PATCH', { address: '文一西路 1 号' })).status).toBe(200)
  expect(await listed()).toMatchObject({ serviceHours: '08:00-21:00', address: '文一西路 1 号' })

  expect((await api(`/projects/${project}`, 'PATCH', { serviceHours: null, slaPolicies: {} })).status).toBe(
    200,
  )
  expect(await listed()).toMatchObject({ serviceHours: null, slaPolicies: {} })
  const [audited] = await db.dataSource.query(
    `SELECT details FROM audit_log WHERE action = 'project.edit' AND subject_id = $1 ORDER BY id LIMIT 1`,
    [String(project)],
  )
  expect(audited.details).toMatchObject({ serviceHours: '08:00-21:00' })
})

it.each([
  ['hours that close before they open', { serviceHours: '21:00-08:00' }],
  ['hours without minutes', { serviceHours: '8-21' }],
  ['a policy nobody has', { slaPolicies: { lunchBreak: { mode: 'business', minutes: 60 } } }],
  ['a clock mode nobody has', { slaPolicies: { complaintReply: { mode: 'weekly', minutes: 60 } } }],
  ['no time at all', { slaPolicies: { repairDispatch: { mode: 'business', minutes: 0 } } }],
  ['a policy that is not an object', { slaPolicies: 'fast' }],
])('refuses %s with a 400 naming the field, and changes nothing', async (_what, body) => {
  const refused = await api(`/projects/${project}`, 'PATCH', body)
  expect(refused.status).toBe(400)
  expect(JSON.stringify(refused.json)).toMatch(/serviceHours|slaPolicies/)
  expect(await listed()).toMatchObject({ serviceHours: null, slaPolicies: {} })
})

it('keeps a project’s delivery date, refuses a date that does not exist, and clears it', async () => {
  expect((await api(`/projects/${project}`, 'PATCH', { deliveryDate: '2027-06-30' })).status).toBe(200)
  expect(await listed()).toMatchObject({ deliveryDate: '2027-06-30' })
  const impossible = await api(`/projects/${project}`, 'PATCH', { deliveryDate: '2027-02-30' })
  expect(impossible.status).toBe(400)
  expect(await listed()).toMatchObject({ deliveryDate: '2027-06-30' })
  expect((await api(`/projects/${project}`, 'PATCH', { deliveryDate: null })).status).toBe(200)
  expect(await listed()).toMatchObject({ deliveryDate: null })
})

describe('assignment rules', () => {
  const importHouseholds = async (rows: string[]) => {
    const response = await fetch(`${app.adminUrl}/api/v1/imports/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'text/csv' },
      body: [
        'project_code,project_name,building,room,delivered_on,household_code,stage,customer_class,owner_name,phone,relation,ambassador',
        ...rows,
      ].join('\n'),
    })
    expect(await response.json()).toMatchObject({ errors: [] })
  }
  /** What binding does for a household without an ambassador. */
  const assigned = async (householdCode: string) => {
    const [household] = await db.dataSource.query(`SELECT id FROM household WHERE code = $1`, [householdCode])
    const id = await db.dataSource.transaction((manager) => assignHousehold(manager, household.id, 'test'))
    const [staff] = await db.dataSource.query(`SELECT name FROM ambassador WHERE id = $1`, [id])
    return staff?.name
  }
  const staffId = async (wecomUserId: string): Promise<number> =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (await api('/staff', 'GET')).json.items.find((s: any) => s.wecomUserId === wecomUserId).id

  it('gives a building’s new households to its ambassador, lists the rule, refuses bad ones and removes it', async () => {
    const lina = await staffId('lina')
    // Without a rule the least-loaded ambassador (王强, one household against 李娜's two) would take them.
    // Buildings come with the customer file; a rule names one of them.
    await importHouseholds([
      'CUIHU,翠湖花园,5栋,301,,CUIHU-H0100,准业主,业主,孙七,13800000100,本人,',
      'CUIHU,翠湖花园,6栋,101,,CUIHU-H0101,准业主,业主,周八,13800000101,本人,',
    ])
    const rule = await api('/assignment-rules', 'POST', {
      ambassadorId: lina,
      projectId: project,
      building: '5栋',
    })
    expect(rule.status).toBe(201)
    expect(await assigned('CUIHU-H0100')).toBe('李娜')
    expect(await assigned('CUIHU-H0101')).toBe('王强')

    expect((await api(`/assignment-rules?project=${project}`, 'GET')).json.items).toEqual([
      expect.objectContaining({
        id: rule.json.id,
        ambassadorName: '李娜',
        building: '5栋',
        projectName: '翠湖花园',
      }),
    ])
    const again = await api('/assignment-rules', 'POST', {
      ambassadorId: lina,
      projectId: project,
      building: '5栋',
    })
    expect(again.status).toBe(409)
    const nowhere = await api('/assignment-rules', 'POST', {
      ambassadorId: lina,
      projectId: project,
      building: '9号楼',
    })
    expect(nowhere).toMatchObject({ status: 422, json: { code: 'UNKNOWN_BUILDING' } })
    const nobody = await api('/assignment-rules', 'POST', { ambassadorId: 999_999, projectId: project })
    expect(nobody.status).toBe(403)
    const noProject = await api('/assignment-rules', 'POST', { ambassadorId: lina, projectId: 999_999 })
    expect(noProject.status).toBe(404)

    expect((await api(`/assignment-rules/${rule.json.id}`, 'DELETE')).status).toBe(200)
    expect((await api(`/assignment-rules/${rule.json.id}`, 'DELETE')).status).toBe(404)
    expect((await api('/assignment-rules', 'GET')).json.items).toEqual([])
    const [audited] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'assignment_rule.%'`,
    )
    expect(audited.n).toBe(2)
  })

  it('passes over a rule whose ambassador has left, to the project’s ambassadors', async () => {
    const added = await api('/staff', 'POST', {
      name: '郑九',
      wecomUserId: 'zhengjiu',
      role: 'ambassador',
      projectId: project,
    })
    const rule = await api('/assignment-rules', 'POST', { ambassadorId: added.json.id, projectId: project })
    expect(rule.status).toBe(201)
    await importHouseholds(['CUIHU,翠湖花园,6栋,102,,CUIHU-H0102,准业主,业主,吴十,13800000102,本人,'])
    expect(await assigned('CUIHU-H0102')).toBe('郑九')
    const left = await api(`/staff/${added.json.id}/leave`, 'POST', {
      successorId: await staffId('wangqiang'),
    })
    expect(left.status).toBe(200)
    await importHouseholds(['CUIHU,翠湖花园,6栋,103,,CUIHU-H0103,准业主,业主,冯一,13800000103,本人,'])
    // 李娜 and 王强 each hold three households now; the longer-serving 李娜 takes it.
    expect(await assigned('CUIHU-H0103')).toMatch(/李娜|王强/)
    expect(await assigned('CUIHU-H0103')).not.toBe('郑九')
    await api(`/assignment-rules/${rule.json.id}`, 'DELETE')
  })
})

describe('branches', () => {
  it('adds a branch, renames it with its projects and refuses an unknown, a taken or an empty name', async () => {
    const added = await api('/branches', 'POST', { name: '宁波分公司' })
    expect(added.status).toBe(201)
    expect((await api('/branches', 'POST', { name: '宁波分公司' })).status).toBe(409)
    expect((await api('/branches', 'POST', { name: '  ' })).status).toBe(400)

    const created = await api('/projects', 'POST', { code: 'NB-01', name: '东钱湖', branch: '宁波分公司' })
    expect(created.status).toBe(201)
    const unknown = await api(`/projects/${created.json.id}`, 'PATCH', { branch: '宁渡分公司' })
    expect(unknown).toMatchObject({ status: 422, json: { code: 'UNKNOWN_BRANCH' } })

    expect((await api(`/branches/${added.json.id}`, 'PATCH', { name: '杭州分公司' })).status).toBe(409)
    expect((await api(`/branches/${added.json.id}`, 'PATCH', { name: '甬城分公司' })).status).toBe(200)
    expect((await api('/branches/999999', 'PATCH', { name: '别处' })).status).toBe(404)
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const projects = (await api('/projects', 'GET')).json.items as any[]
    expect(projects.find((p) => p.code === 'NB-01')).toMatchObject({ branch: '甬城分公司' })
    const branches = (await api('/branches', 'GET')).json.items
    expect(branches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: '甬城分公司', projects: 1, head: null }),
        expect.objectContaining({ name: '杭州分公司', head: expect.objectContaining({ name: '周建国' }) }),
      ]),
    )
  })

  it('refuses customer-file rows that name a branch nobody added, and imports the others', async () => {
    const response = await fetch(`${app.adminUrl}/api/v1/imports/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'text/csv' },
      body: [
        'project_code,project_name,building,room,household_code,owner_name,phone,branch',
        'WZ-01,瓯江府,1号楼,101,WZ-H1,林一,13800000201,温州分公司',
        'CUIHU,翠湖花园,7栋,101,CUIHU-H0201,林二,13800000202,杭州分公司',
      ].join('\n'),
    })
    expect(await response.json()).toEqual({
      rows: 2,
      imported: 1,
      errors: [{ row: 1, field: 'branch', message: 'no branch named 温州分公司 (POST /branches adds one)' }],
    })
  })

  it('lets a branch head see their branch only, and add none', async () => {
    const [head] = await db.dataSource.query(`SELECT id FROM ambassador WHERE wecom_user_id = 'zhoujianguo'`)
    const issued = await api('/tokens', 'POST', {
      name: '周建国',
      role: 'branch_head',
      ambassadorId: head.id,
    })
    expect(issued.status).toBe(201)
    const token = issued.json.token
    expect(
      (await api('/branches', 'GET', undefined, token)).json.items.map((b: { name: string }) => b.name),
    ).toEqual(['杭州分公司'])
    expect((await api('/branches', 'POST', { name: '温州分公司' }, token)).status).toBe(403)
  })

  it('shows a branch head not yet on any project nothing, and answers every list without an error', async () => {
    const head = await api('/staff', 'POST', { name: '钱新', wecomUserId: 'qianxin', role: 'branch_head' })
    expect(head.status).toBe(201)
    const token = (
      await api('/tokens', 'POST', { name: '钱新', role: 'branch_head', ambassadorId: head.json.id })
    ).json.token
    for (const path of [
      '/branches',
      '/projects',
      '/staff',
      '/cases',
      '/households?q=张',
      '/assignment-rules',
    ]) {
      const answer = await api(path, 'GET', undefined, token)
      expect({ path, status: answer.status, items: answer.json.items }).toEqual({
        path,
        status: 200,
        items: [],
      })
    }
  })
})

describe('categories', () => {
  it('lists, adds, edits and retires the developer’s categories, and refuses what breaks a rule', async () => {
    const repairs = (await api('/categories?kind=repair', 'GET')).json.items
    expect(repairs.map((c: { name: string }) => c.name)).toEqual([
      '防水渗漏',
      '水电管线',
      '门窗五金',
      '墙地面装修',
      '供暖空调',
      '其他',
    ])
    expect(repairs[0]).toMatchObject({
      statutoryMonths: 60,
      majorWorks: true,
      warrantyMonths: null,
      active: true,
    })

    const lift = await api('/categories', 'POST', {
      kind: 'repair',
      name: '电梯故障',
      emergency: true,
      position: 1,
    })
    expect(lift.status).toBe(201)
    expect((await api('/categories', 'POST', { kind: 'repair', name: '电梯故障' })).status).toBe(409)
    const complaintWithWarranty = await api('/categories', 'POST', {
      kind: 'complaint',
      name: '噪音',
      warrantyMonths: 12,
    })
    expect(complaintWithWarranty).toMatchObject({ status: 422, json: { code: 'INVALID_CATEGORY' } })
    expect((await api('/categories', 'POST', { kind: 'parking', name: '车位' })).status).toBe(400)

    const waterproofing = repairs[0].id
    const tooShort = await api(`/categories/${waterproofing}`, 'PATCH', { warrantyMonths: 36 })
    expect(tooShort).toMatchObject({ status: 422, json: { code: 'INVALID_CATEGORY' } })
    expect((await api(`/categories/${waterproofing}`, 'PATCH', { warrantyMonths: 96 })).status).toBe(200)
    expect((await api(`/categories/${waterproofing}`, 'PATCH', { name: '其他' })).status).toBe(409)
    expect((await api(`/categories/${lift.json.id}`, 'PATCH', { active: false })).status).toBe(200)
    expect((await api('/categories/999999', 'PATCH', { active: false })).status).toBe(404)

    const after = (await api('/categories?kind=repair', 'GET')).json.items
    expect(after.map((c: { name: string }) => c.name)).not.toContain('电梯故障')
    expect(after[0]).toMatchObject({ name: '防水渗漏', warrantyMonths: 96 })
    const all = (await api('/categories?kind=repair&includeRetired=true', 'GET')).json.items
    expect(all[0]).toMatchObject({ name: '电梯故障', active: false })
  })

  it('lets every staff role read the categories and only the group change them', async () => {
    const [head] = await db.dataSource.query(`SELECT id FROM ambassador WHERE wecom_user_id = 'zhoujianguo'`)
    const token = (
      await api('/tokens', 'POST', { name: '周建国', role: 'branch_head', ambassadorId: head.id })
    ).json.token
    expect((await api('/categories', 'GET', undefined, token)).status).toBe(200)
    expect((await api('/categories', 'POST', { kind: 'complaint', name: '噪音扰民' }, token)).status).toBe(
      403,
    )
  })
})
