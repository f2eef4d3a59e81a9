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

/** The admin API of a running test app as one token sees it: status and parsed JSON. */
export function adminApi(app: RunningApp, defaultToken: string) {
  return async (path: string, method: string, body?: unknown, token = defaultToken) => {
    const response = await fetch(`${app.adminUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, json: (await response.json()) as any }
  }
}
