import type { DataSource, EntityManager } from 'typeorm'
import type { PoolClient, QueryResultRow } from 'pg'

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
 * Runs a named statement on the transaction's own connection: PostgreSQL parses and plans it once per
 * connection instead of on every call. For the few statements every owner message runs.
 */
export async function preparedRows<T>(
  manager: EntityManager,
  name: string,
  sql: string,
  parameters: unknown[],
): Promise<T[]> {
  if (!manager.queryRunner) throw new Error(`prepared statement ${name} needs a transaction`)
  const client = (await manager.queryRunner.connect()) as PoolClient
  const result = await client.query<T & QueryResultRow>({ name, text: sql, values: parameters })
  return result.rows
}
