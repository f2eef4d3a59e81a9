import { serverPort } from './ports'
import { chmod, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Client } from 'pg'
import { createDataSource } from '../../src/db/data-source'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded'

declare global {
  var anjuEmbeddedTestDatabase: EmbeddedDatabase | undefined
}

const LOCAL_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres'

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1500 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => undefined)
  }
}

/**
 * One PostgreSQL for the run: DATABASE_URL when set; else a local server at 127.0.0.1:5432 with trust
 * auth when there is one (TEST_EMBEDDED=1 skips it); else an embedded server in a temp dir. Tests only
 * create and drop databases named anju_test_* / anju_t_* on it. Migrations are applied once to a template
 * database, which each test file clones (see db.ts).
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL
  if (!serverUrl && process.env.TEST_EMBEDDED !== '1' && (await reachable(LOCAL_SERVER)))
    serverUrl = LOCAL_SERVER
  if (!serverUrl) {
    const parent = await mkdtemp(path.join(tmpdir(), 'anju-test-'))
    await chmod(parent, 0o755) // run as root, PostgreSQL runs as the postgres user and must enter it
    const dataDir = path.join(parent, 'pg')
    const port = await serverPort()
    globalThis.anjuEmbeddedTestDatabase = await startEmbeddedDatabase({ dataDir, port })
    serverUrl = globalThis.anjuEmbeddedTestDatabase.adminUrl
  }
  const template = `anju_test_template_${process.pid}`
  const admin = new Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${template}`)
  await admin.query(`CREATE DATABASE ${template}`)
  await admin.end()

  const templateUrl = withDatabase(serverUrl, template)
  const dataSource = createDataSource(templateUrl, 1)
  await dataSource.initialize()
  await dataSource.runMigrations({ transaction: 'each' })
  await dataSource.destroy()

  process.env.ANJU_TEST_SERVER_URL = serverUrl
  process.env.ANJU_TEST_TEMPLATE = template
  process.env.ANJU_TEST_RUN = String(process.pid)
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}
