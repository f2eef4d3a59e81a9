import { QueryFailedError } from 'typeorm'
import { preparedTransaction, transactionOnFirstQuery } from '../../src/db/prepared-transaction'
import { preparedRows } from '../../src/db/sql'
import { createTestDatabase, type TestDatabase } from '../support/db'

/**
 * preparedRows reaches past TypeORM's public API (the query runner's pg client, the driver's pool) so
 * that the hot path can use named statements. These tests fail when a TypeORM upgrade changes that.
 */
let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db.drop())

describe('prepared statements on TypeORM connections', () => {
  it('run on the transaction’s own connection, seeing its uncommitted writes, and are prepared there', async () => {
    await db.dataSource.transaction(async (manager) => {
      const [{ pid }] = await manager.query(`SELECT pg_backend_pid() AS pid`)
      await manager.query(`CREATE TEMP TABLE scratch (v int) ON COMMIT DROP`)
      await manager.query(`INSERT INTO scratch VALUES (42)`)
      const rows = await preparedRows<{ v: number; pid: number }>(
        manager,
        'test.scratch',
        `SELECT v, pg_backend_pid() AS pid FROM scratch WHERE v = $1`,
        [42],
      )
      expect(rows).toEqual([{ v: 42, pid }])
      const [prepared] = await manager.query(
        `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name = 'test.scratch'`,
      )
      expect(prepared.n).toBe(1)
    })
  })

  it('run on the pool outside a transaction', async () => {
    const rows = await preparedRows<{ answer: number }>(
      db.dataSource,
      'test.pool',
      `SELECT $1::int AS answer`,
      [7],
    )
    expect(rows).toEqual([{ answer: 7 }])
  })
})

describe('turn transactions', () => {
  beforeAll(() =>
    db.dataSource.query(`CREATE TABLE turn_scratch (id serial PRIMARY KEY, v int NOT NULL UNIQUE)`),
  )
  const values = async () =>
    (await db.dataSource.query(`SELECT v FROM turn_scratch ORDER BY v`)).map((row: { v: number }) => row.v)

  it('prepare every statement and answer in TypeORM’s shapes: rows, and [rows, count] for UPDATE', async () => {
    await preparedTransaction(db.dataSource, async (manager) => {
      expect(await manager.query(`INSERT INTO turn_scratch (v) VALUES ($1) RETURNING v`, [1])).toEqual([
        { v: 1 },
      ])
      expect(await manager.query(`UPDATE turn_scratch SET v = v + 1 WHERE v = $1 RETURNING v`, [1])).toEqual([
        [{ v: 2 }],
        1,
      ])
      const [prepared] = await manager.query(
        `SELECT count(*)::int AS n FROM pg_prepared_statements
          WHERE statement LIKE '%turn_scratch%' AND statement NOT LIKE '%pg_prepared_statements%'`,
      )
      expect(prepared.n).toBe(2)
    })
    expect(await values()).toEqual([2])
  })

  it('fail with TypeORM’s error, carrying PostgreSQL’s code and constraint, and undo the transaction', async () => {
    const failing = preparedTransaction(db.dataSource, async (manager) => {
      await manager.query(`INSERT INTO turn_scratch (v) VALUES ($1)`, [3])
      await manager.query(`INSERT INTO turn_scratch (v) VALUES ($1)`, [2])
    })
    await expect(failing).rejects.toBeInstanceOf(QueryFailedError)
    await expect(failing).rejects.toMatchObject({ code: '23505', constraint: 'turn_scratch_v_key' })
    expect(await values()).toEqual([2])
  })

  it('open only when their work first queries, and then hold all of it until commit or rollback', async () => {
    const idle = transactionOnFirstQuery(db.dataSource)
    expect(idle.opened).toBe(false)
    await idle.commit()

    const undone = transactionOnFirstQuery(db.dataSource)
    await undone.manager.query(`INSERT INTO turn_scratch (v) VALUES ($1)`, [10])
    expect(undone.opened).toBe(true)
    // Not visible outside before the commit: the statement ran inside the transaction.
    expect(await values()).toEqual([2])
    await undone.rollback()
    expect(await values()).toEqual([2])

    const kept = transactionOnFirstQuery(db.dataSource)
    await kept.manager.query(`INSERT INTO turn_scratch (v) VALUES ($1)`, [11])
    await kept.manager.query(`INSERT INTO turn_scratch (v) VALUES ($1)`, [12])
    expect(await values()).toEqual([2])
    await kept.commit()
    expect(await values()).toEqual([2, 11, 12])
  })
})
