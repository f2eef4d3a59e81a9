import { randomBytes } from 'node:crypto'
import { Client } from 'pg'
import type { DataSource } from 'typeorm'
import { createDataSource } from '../../src/db/data-source'
import { withDatabase } from './global-setup'

export interface TestDatabase {
  url: string
  dataSource: DataSource
  /** Another pool on the same database: a second app instance. */
  connectAgain(): Promise<DataSource>
  drop(): Promise<void>
}

/** A fresh, migrated database for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.ANJU_TEST_SERVER_URL as string
  const name = `anju_t_${process.env.ANJU_TEST_RUN}_${randomBytes(4).toString('hex')}`
  const admin = new Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${process.env.ANJU_TEST_TEMPLATE}`)
  await admin.end()

  const url = withDatabase(serverUrl, name)
  const opened: DataSource[] = []
  const connectAgain = async () => {
    const dataSource = createDataSource(url, 5)
    await dataSource.initialize()
    opened.push(dataSource)
    return dataSource
  }
  const dataSource = await connectAgain()
  return {
    url,
    dataSource,
    connectAgain,
    async drop() {
      for (const each of opened) if (each.isInitialized) await each.destroy()
      const cleanup = new Client({ connectionString: serverUrl })
      await cleanup.connect()
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await cleanup.end()
    },
  }
}
