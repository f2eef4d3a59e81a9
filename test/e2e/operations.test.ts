import { randomBytes } from 'node:crypto'
import { PassThrough } from 'node:stream'
import { Client } from 'pg'
import { startApp, type RunningApp } from '../../src/app'
import { createAdminApp } from '../../src/admin/app'
import { loadConfig } from '../../src/config'
import { DatabaseStartError } from '../../src/db/startup'
import { migrations } from '../../migrations'
import { withDatabase } from '../support/global-setup'
import { silentLogger } from '../support/harness'
import { testClock } from '../support/clock'

/** Running Anju as an operator does: several instances, an empty database, a database that is not there. */
const server = () => process.env.ANJU_TEST_SERVER_URL as string
const io = () => ({ stdin: new PassThrough(), stdout: new PassThrough(), clock: testClock })

async function emptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `anju_t_${process.env.ANJU_TEST_RUN}_empty_${randomBytes(3).toString('hex')}`
  const admin = new Client({ connectionString: server() })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  return {
    url: withDatabase(server(), name),
    async drop() {
      const cleanup = new Client({ connectionString: server() })
      await cleanup.connect()
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await cleanup.end()
    },
  }
}

describe('starting instances', () => {
  it('starts three instances at once on an empty database: migrated once, one admin token, all ready', async () => {
    const db = await emptyDatabase()
    const apps: RunningApp[] = []
    try {
      const config = loadConfig({ DATABASE_URL: db.url, PORT: '0' })
      apps.push(...(await Promise.all([1, 2, 3].map(() => startApp(config, silentLogger, io())))))
      const [{ applied, admins }] = await apps[0].dataSource.query(
        `SELECT (SELECT count(*)::int FROM typeorm_migrations) AS applied,
                (SELECT count(*)::int FROM staff_token WHERE role = 'admin') AS admins`,
      )
      expect(applied).toBe(migrations.length)
      expect(admins).toBe(1)
      expect(apps.map((app) => app.adminToken.source).sort()).toEqual(['database', 'database', 'minted'])
      for (const app of apps) {
        const ready = await fetch(`${app.adminUrl}/readyz`)
        expect(ready.status).toBe(200)
        expect(await ready.json()).toEqual({ status: 'ready', checks: { database: true, accepting: true } })
        expect((await fetch(`${app.adminUrl}/livez`)).status).toBe(200)
      }
    } finally {
      for (const app of apps) await app.shutdown()
      await db.drop()
    }
  }, 60_000)

  it('waits for a database that is not there, then says so in one line', async () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://anju:secret-password@127.0.0.1:9/anju',
      DB_CONNECT_TIMEOUT_SECONDS: '2',
      PORT: '0',
    })
    const warnings: string[] = []
    const logger = Object.assign(Object.create(silentLogger), { warn: (line: string) => warnings.push(line) })
    const failure = await startApp(config, logger, io()).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(DatabaseStartError)
    expect((failure as Error).message).toMatch(
      /PostgreSQL at 127\.0\.0\.1:9\/anju could not be reached for 2 s/,
    )
    expect((failure as Error).message).not.toMatch(/secret-password/)
    expect(warnings.join('\n')).toMatch(/retrying in 1 s/)
  }, 30_000)
})

describe('shutting down', () => {
  it('answers 503 to new work and "not ready" while draining, and stays alive', async () => {
    let draining = false
    const app = createAdminApp({
      logger: silentLogger,
      draining: () => draining,
      health: {
        calendar: () => ({ knownThrough: 2026 }),
        database: async () => ({ status: 'up', kind: 'external', pendingMigrations: false }),
        readiness: async () => ({ database: true, accepting: !draining }),
      },
    })
    const listening = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => listening.once('listening', resolve))
    const base = `http://127.0.0.1:${(listening.address() as { port: number }).port}`
    try {
      expect((await fetch(`${base}/readyz`)).status).toBe(200)
      draining = true
      const ready = await fetch(`${base}/readyz`)
      expect(ready.status).toBe(503)
      expect(await ready.json()).toEqual({
        status: 'not ready',
        checks: { database: true, accepting: false },
      })
      const callback = await fetch(`${base}/wecom/app/callback`, { method: 'POST', body: '<xml/>' })
      expect(callback.status).toBe(503)
      expect(callback.headers.get('retry-after')).toBe('1')
      expect((await fetch(`${base}/livez`)).status).toBe(200)
    } finally {
      await new Promise((resolve) => listening.close(resolve))
    }
  })
})
