import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { startApp, type RunningApp } from '../../src/app'
import { loadConfig } from '../../src/config'
import { testClock } from './clock'
import type { TestDatabase } from './db'
import { silentLogger } from './harness'

/** The whole app on a test database, demo data seeded, HTTP on a free port; `env` adds settings. */
export function startTestApp(db: TestDatabase, env: Record<string, string> = {}): Promise<RunningApp> {
  // Files the app keeps (owners' media) go to a directory of this test's own, not the checkout's ./data.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'anju-app-'))
  const config = loadConfig({ DATABASE_URL: db.url, SEED_DEMO: 'on', PORT: '0', DATA_DIR: dataDir, ...env })
  return startApp(config, silentLogger, {
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    clock: testClock,
  })
}
