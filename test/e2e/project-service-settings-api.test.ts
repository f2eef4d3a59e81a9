import type { RunningApp } from '../../src/app'
import { startTestApp } from '../support/app'
import { createTestDatabase, type TestDatabase } from '../support/db'

/** A project's service hours and SLA policies through the admin API: set, read back, refused, audited. */
const ADMIN = 'service-settings-admin-token-0123'
let db: TestDatabase
let app: RunningApp
let project: number

beforeAll(async () => {
  db = await createTestDatabase()
  app = await startTestApp(db, { ADMIN_TOKEN: ADMIN })
  project = (await db.dataSource.query(`SELECT id FROM project WHERE code = 'CUIHU'`))[0].id
})
afterAll(async () => {
  await app.shutdown()
  await db.drop()
})

async function api(path: string, method: string, body?: unknown, token = ADMIN) {
  const response = await fetch(`${app.adminUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, json: (await response.json()) as any }
}
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
