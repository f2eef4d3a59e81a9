import { PassThrough } from 'node:stream'
import { startApp, type RunningApp } from '../../src/app'
import { loadConfig } from '../../src/config'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { silentLogger } from '../support/harness'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db.drop())

function start(stdin: PassThrough, stdout: PassThrough): Promise<RunningApp> {
  const config = loadConfig({ DATABASE_URL: db.url, CONSOLE_CHANNEL: 'on', SEED_DEMO: 'on', PORT: '0' })
  return startApp(config, silentLogger, { stdin, stdout })
}

async function waitFor(read: () => string, pattern: RegExp): Promise<string> {
  for (let i = 0; i < 1000; i += 1) {
    if (pattern.test(read())) return read()
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`timed out waiting for ${pattern}; got:\n${read()}`)
}

describe('the whole app with the console channel', () => {
  it('greets the demo owner with the menu, files a complaint, and survives a restart mid-dialog', async () => {
    let output = ''
    const stdin = new PassThrough()
    const stdout = new PassThrough()
    stdout.on('data', (chunk) => (output += chunk.toString()))
    const app = await start(stdin, stdout)

    const health = await fetch(`${app.adminUrl}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({
      database: { status: 'up', pendingMigrations: false },
    })

    stdin.write('你好\n')
    await waitFor(() => output, /张三您好[\s\S]*1\. 我要投诉/)
    stdin.write('1\n2\n')
    await waitFor(() => output, /问题发生在哪里/)
    stdin.end()
    await app.console?.whenInputEnds()
    await app.shutdown()

    let after = ''
    const stdin2 = new PassThrough()
    const stdout2 = new PassThrough()
    stdout2.on('data', (chunk) => (after += chunk.toString()))
    const restarted = await start(stdin2, stdout2)
    stdin2.write('1\n电梯经常停在半层，很危险\n跳过\n是\n')
    await waitFor(() => after, /投诉已登记，工单号 TS\d{8}-\d{4}/)
    expect(after).toMatch(/类别：物业服务\n位置：翠湖花园 1栋 101/)
    stdin2.end()
    await restarted.console?.whenInputEnds()
    await restarted.shutdown()
  })

  it('answers unknown admin routes with problem+json', async () => {
    const app = await start(new PassThrough(), new PassThrough())
    try {
      const response = await fetch(`${app.adminUrl}/nope`)
      expect(response.status).toBe(404)
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/)
      expect(await response.json()).toMatchObject({ code: 'NOT_FOUND', status: 404 })
    } finally {
      await app.shutdown()
    }
  })
})
