import type { Pool, PoolClient, QueryResultRow } from 'pg'
import { DataSource, type EntityManager } from 'typeorm'
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver'

type Queryable = Pick<DataSource | EntityManager, 'query'>

/**
 * Runs SQL and returns its rows. TypeORM's Postgres driver answers UPDATE/DELETE … RETURNING with
 * `[rows, rowCount]` instead of the rows; this hides that difference from the callers.
 */
export async function queryRows<T>(db: Queryable, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const result: unknown = await db.query(sql, parameters)
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[]
  }
  return result as T[]
}

/**
 * Runs a named statement, on the transaction's connection if there is one: PostgreSQL parses and plans
 * it once per connection instead of on every call. For the few statements every owner message runs.
 */
export async function preparedRows<T>(
  db: DataSource | EntityManager,
  name: string,
  sql: string,
  parameters: unknown[],
): Promise<T[]> {
  const manager = db instanceof DataSource ? db.manager : db
  const client: Pool | PoolClient = manager.queryRunner
    ? await manager.queryRunner.connect()
    : (manager.connection.driver as PostgresDriver).master
  const result = await client.query<T & QueryResultRow>({ name, text: sql, values: parameters })
  return result.rows
}
