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
