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
 * Makes every statement of a query runner prepared on its connection (parsed and planned once per
 * connection, not on every call) and sent straight to the driver, without TypeORM's logging and event
 * broadcasting in between; results and errors keep TypeORM's shapes, so services cannot tell.
 * `beforeWork` runs before each statement that is not transaction control (to open the transaction).
 */
function preparing(runner: QueryRunner, beforeWork: () => Promise<void>): void {
  // Transaction control and structured results (TypeORM's query builders, which the services do not
  // use) are left to TypeORM, so that its idea of the transaction stays right.
  const typeOrm = runner.query.bind(runner)
  const prepared = async (sql: string, parameters?: unknown[], useStructuredResult?: boolean) => {
    if (TRANSACTION_CONTROL.test(sql)) return typeOrm(sql, parameters, useStructuredResult as true)
    await beforeWork()
    if (useStructuredResult) return typeOrm(sql, parameters, true)
    const client = (await runner.connect()) as PoolClient
    try {
      return asTypeOrmResult(await client.query({ name: statementName(sql), text: sql, values: parameters }))
    } catch (error) {
      throw new QueryFailedError(sql, parameters, error as Error)
    }
  }
  runner.query = prepared as QueryRunner['query']
}

/**
 * A transaction that is opened by the first statement its work runs, if it runs one. A turn computed
 * ahead (see the pipeline's optimistic turn) is given its manager: a turn that only talks needs no
 * transaction at all, one that files a case opens it with its first query and commits it with its
 * turn. Every statement is prepared (see `preparing`).
 */
export interface TransactionOnFirstQuery {
  manager: EntityManager
  /** Whether the work touched the database, and so opened the transaction. */
  readonly opened: boolean
  /** Commits what was done (nothing, if nothing was) and gives the connection back. */
  commit(): Promise<void>
  /** Undoes what was done and gives the connection back; never throws. */
  rollback(): Promise<void>
}

export function transactionOnFirstQuery(dataSource: DataSource): TransactionOnFirstQuery {
  const runner = dataSource.createQueryRunner()
  let opening: Promise<void> | null = null
  preparing(runner, () => (opening ??= runner.startTransaction()))
  return {
    manager: runner.manager,
    get opened() {
      return opening !== null
    },
    async commit() {
      try {
        if (opening) {
          await opening
          await runner.commitTransaction()
        }
      } finally {
        await runner.release()
      }
    },
    async rollback() {
      try {
        if (runner.isTransactionActive) await runner.rollbackTransaction()
      } catch {
        // A connection that failed is dropped by the pool; there is nothing left to undo on it.
      } finally {
        await runner.release()
      }
    },
  }
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
    preparing(runner, async () => undefined)
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
