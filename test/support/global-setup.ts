import { chmod, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Client } from 'pg'
import { createDataSource } from '../../src/db/data-source'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded'

declare global {
  var anjuEmbeddedTestDatabase: EmbeddedDatabase | undefined
}

/**
 * One PostgreSQL for the run: the server at DATABASE_URL when set, else an embedded one in a temp dir.
 * Migrations are applied once to a template database; each test file clones it (see db.ts).
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL
  if (!serverUrl) {
    const parent = await mkdtemp(path.join(tmpdir(), 'anju-test-'))
    await chmod(parent, 0o755) // run as root, PostgreSQL runs as the postgres user and must enter it
    const dataDir = path.join(parent, 'pg')
    const port = 55000 + Math.floor(Math.random() * 4000)
    globalThis.anjuEmbeddedTestDatabase = await startEmbeddedDatabase({ dataDir, port })
    serverUrl = globalThis.anjuEmbeddedTestDatabase.url
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
