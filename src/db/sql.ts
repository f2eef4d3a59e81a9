import type { DataSource, EntityManager } from 'typeorm'

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
