import type { PoolClient, QueryResult } from 'pg'
import { QueryFailedError, type DataSource, type EntityManager, type QueryRunner } from 'typeorm'

/**
 * Statement names by SQL text, shared by every connection. The services' SQL is written as constants,
 * so the texts are few; the cap keeps SQL built at run time (were some ever to differ call by call) from
 * growing every connection's store of prepared statements without end — past it, texts run unnamed.
 */
const statementNames = new Map<string, string>()
const MOST_STATEMENTS = 1_000
const TRANSACTION_CONTROL = /^\s*(START|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET)\b/i

function statementName(sql: string): string | undefined {
  if (TRANSACTION_CONTROL.test(sql)) return undefined
  let name = statementNames.get(sql)
  if (!name && statementNames.size < MOST_STATEMENTS) {
    name = `anju.s${statementNames.size + 1}`
    statementNames.set(sql, name)
  }
  return name
}

/** The shape TypeORM's Postgres runner gives `query`: rows, or `[rows, rowCount]` for UPDATE and DELETE. */
function asTypeOrmResult(raw: QueryResult): unknown {
  return raw.command === 'UPDATE' || raw.command === 'DELETE' ? [raw.rows, raw.rowCount] : raw.rows
}

/**
 * A query runner whose every statement is prepared on its connection (parsed and planned once per
 * connection, not on every call) and sent straight to the driver, without TypeORM's logging and event
 * broadcasting in between. Results and errors keep TypeORM's shapes, so services cannot tell.
 */
function preparing(runner: QueryRunner, client: PoolClient): void {
  // A structured result (asked for by TypeORM's query builders, which the services do not use) is left to TypeORM.
  const structured = runner.query.bind(runner)
  const prepared = async (sql: string, parameters?: unknown[], useStructuredResult?: boolean) => {
    if (useStructuredResult) return structured(sql, parameters, true)
    try {
      return asTypeOrmResult(await client.query({ name: statementName(sql), text: sql, values: parameters }))
    } catch (error) {
      throw new QueryFailedError(sql, parameters, error as Error)
    }
  }
  runner.query = prepared as QueryRunner['query']
}

/**
 * A transaction for the statements every inbound message runs (the turn and the services its dialog
 * calls), each of them prepared: what `dataSource.transaction` does, minus a parse and a plan per
 * statement. The services see an ordinary EntityManager.
 */
export async function preparedTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner()
  try {
    preparing(runner, (await runner.connect()) as PoolClient)
    await runner.startTransaction()
    try {
      const result = await work(runner.manager)
      await runner.commitTransaction()
      return result
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined)
      throw error
    }
  } finally {
    await runner.release()
  }
}
