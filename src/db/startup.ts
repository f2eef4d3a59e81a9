import type { DataSource } from 'typeorm'

/** The database could not be reached or prepared: said in one clear line, no stack trace. */
export class DatabaseStartError extends Error {}

/** Where a URL points, without its password, for messages. */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`
  } catch {
    return 'the configured database'
  }
}

/**
 * Connects, retrying with backoff (1 s, 2 s, 4 s … at most 10 s apart) until `timeoutSeconds` have
 * passed: a database that starts a little after the app (compose, a restarted server) is waited for.
 */
export async function connectWithRetry(
  dataSource: DataSource,
  url: string,
  timeoutSeconds: number,
  warn: (message: string) => void,
): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000
  for (let attempt = 1; ; attempt += 1) {
    try {
      await dataSource.initialize()
      return
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      const wait = Math.min(10_000, 1000 * 2 ** (attempt - 1))
      if (Date.now() + wait > deadline)
        throw new DatabaseStartError(
          `PostgreSQL at ${describeDatabase(url)} could not be reached for ${timeoutSeconds} s (${reason}). ` +
            'Check DATABASE_URL and that the server is running; DB_CONNECT_TIMEOUT_SECONDS sets how long to wait.',
        )
      warn(`PostgreSQL at ${describeDatabase(url)} not reachable (${reason}); retrying in ${wait / 1000} s`)
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
  }
}

/** Any number of instances may start at once: one migrates while the others wait for it, then find nothing to do. */
const MIGRATION_LOCK = 'anju.migrations'

/**
 * The waiting instances poll for the lock instead of blocking in pg_advisory_lock: a statement blocked
 * there holds a snapshot, and CREATE INDEX CONCURRENTLY (some migrations) waits for every snapshot to
 * end — the migrating instance would wait for the instances waiting for it.
 */
export async function migrateUnderLock(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner()
  await runner.connect()
  try {
    for (;;) {
      const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [
        MIGRATION_LOCK,
      ])
      if (locked) break
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' })
      return applied.map((migration) => migration.name)
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [MIGRATION_LOCK])
    }
  } finally {
    await runner.release()
  }
}
