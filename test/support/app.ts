import { PassThrough } from 'node:stream'
import { startApp, type RunningApp } from '../../src/app'
import { loadConfig } from '../../src/config'
import { testClock } from './clock'
import type { TestDatabase } from './db'
import { silentLogger } from './harness'

/** The whole app on a test database, demo data seeded, HTTP on a free port; `env` adds settings. */
export function startTestApp(db: TestDatabase, env: Record<string, string> = {}): Promise<RunningApp> {
  const config = loadConfig({ DATABASE_URL: db.url, SEED_DEMO: 'on', PORT: '0', ...env })
  return startApp(config, silentLogger, {
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    clock: testClock,
  })
}
