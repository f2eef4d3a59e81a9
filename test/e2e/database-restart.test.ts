import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { startApp, type RunningApp } from '../../src/app'
import { loadConfig } from '../../src/config'
import { startEmbeddedServer as startServer } from '../support/embedded-server'
import { FakeWeCom } from '../support/fake-wecom'
import { silentLogger } from '../support/harness'
import { serverPort } from '../support/ports'

/**
 * PostgreSQL goes away under load and comes back: callbacks that could not be stored are refused (so
 * WeCom retries), the app reconnects by itself, and every message ends up handled exactly once.
 * Uses its own embedded server, since the shared one must not be restarted.
 */
describe('PostgreSQL restart under load', () => {
  let dir: string
  let pg: { url: string; stop(): Promise<void> }
  let app: RunningApp
  let wecom: FakeWeCom
  let port: number

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'anju-restart-'))
    await chmod(dir, 0o755)
    port = await serverPort()
    pg = await startServer(path.join(dir, 'pg'), port)
    wecom = new FakeWeCom()
    await wecom.start()
    const config = loadConfig({
      DATABASE_URL: pg.url,
      SEED_DEMO: 'on',
      PORT: '0',
      DATA_DIR: dir,
      ...wecom.env(),
    })
    app = await startApp(config, silentLogger, { stdin: new PassThrough(), stdout: new PassThrough() })
  }, 60_000)

  afterAll(async () => {
    await app?.shutdown()
    await wecom?.stop()
    await pg?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  const message = (n: number) => ({
    ToUserName: wecom.corpId,
    FromUserName: 'lina',
    CreateTime: Math.floor(Date.now() / 1000),
    MsgType: 'text',
    Content: '工单',
    MsgId: String(5_000_000 + n),
    AgentID: wecom.agentId,
  })

  it('refuses what it cannot store, reconnects, and loses nothing', async () => {
    const before = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => wecom.callback(app.adminUrl, '/wecom/app/callback', message(n))),
    )
    expect(before.map((s) => s.at(-1))).toEqual([200, 200, 200, 200, 200])

    await pg.stop()
    const during = await Promise.all(
      [6, 7, 8].map(
        (n) => wecom.callback(app.adminUrl, '/wecom/app/callback', message(n)).catch(() => [0]), // a timeout is a failure too
      ),
    )
    expect(during.flat().every((status) => status === 503 || status === 0)).toBe(true)

    pg = await startServer(path.join(dir, 'pg'), port)
    // WeCom keeps retrying the refused ones; now they get in.
    const after = await Promise.all(
      [6, 7, 8, 9].map((n) => wecom.callback(app.adminUrl, '/wecom/app/callback', message(n))),
    )
    expect(after.map((s) => s.at(-1))).toEqual([200, 200, 200, 200])

    await app.pipeline.idle()
    await app.pipeline.recoverPending(0)
    await app.outbox.settle()
    const [stored] = await app.dataSource.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'done')::int AS done FROM inbound_message WHERE channel = 'wecom-app'`,
    )
    expect(stored).toEqual({ n: 9, done: 9 })
    // A reply whose first try met the outage waits out its short backoff, then all go out, once each.
    const replies = () => wecom.appMessages.filter((m) => m.touser === 'lina')
    for (let i = 0; i < 100 && replies().length < 9; i += 1) {
      await app.outbox.settle()
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(replies()).toHaveLength(9)
  }, 90_000)
})
