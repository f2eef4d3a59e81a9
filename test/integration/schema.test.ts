import { OPTIMISTIC_TURN, WRITE_TURN } from '../../src/bot/turn-statements'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { seedAndBind } from '../support/harness'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
  await seedAndBind(db.dataSource, {})
})
afterAll(() => db.drop())

describe('schema', () => {
  it('reverts and re-applies its migrations cleanly', async () => {
    const scratch = await createTestDatabase()
    try {
      const applied = scratch.dataSource.migrations.length
      for (let i = 0; i < applied; i += 1) await scratch.dataSource.undoLastMigration({ transaction: 'each' })
      const [{ n }] = await scratch.dataSource.query(
        `SELECT count(*)::int AS n FROM information_schema.tables
          WHERE table_schema = 'public' AND table_name <> 'typeorm_migrations'`,
      )
      expect(n).toBe(0)
      expect(await scratch.dataSource.runMigrations({ transaction: 'each' })).toHaveLength(applied)
    } finally {
      await scratch.drop()
    }
  })

  it("rewrites a conversation's dialog in place on every turn (a HOT update: no index entries written)", async () => {
    const runner = db.dataSource.createQueryRunner()
    try {
      await runner.startTransaction()
      const [{ id }] = await runner.query(
        `INSERT INTO conversation (channel, external_id) VALUES ('test', 'wx-hot') RETURNING id`,
      )
      await runner.commitTransaction()
      await runner.startTransaction()
      const [{ version }] = await runner.query(
        `SELECT xmin::text AS version FROM conversation WHERE id = $1`,
        [id],
      )
      const dialog = JSON.stringify({ id: 'menu', version: 1, log: [{ t: 'in', text: '菜单' }] })
      // Both ways a turn is written: the locking path's statement, and the one-statement turn (which
      // finds no owner bound here, so it writes nothing — the plan is still checked by running it).
      await runner.query(`PREPARE write_turn AS ${WRITE_TURN}`)
      await runner.query(`PREPARE optimistic_turn AS ${OPTIMISTIC_TURN}`)
      // EXECUTE takes no bind parameters: the test's own values are written into it.
      const literal = (value: string) => `'${value.replace(/'/g, "''")}'`
      await runner.query(
        `EXECUTE write_turn(${id}, ${literal(dialog)}, now() + interval '30 minutes', now(), NULL, NULL,
                            'test', 'wx-hot', '[]')`,
      )
      await runner.query(
        `EXECUTE optimistic_turn(${id}, ${literal(version)}, ${literal(dialog)}, now(), now(), 1, '张三', 1,
                                 'hot-1', '菜单', now(), '[]', NULL, NULL, NULL, NULL)`,
      )
      const [counts] = await runner.query(
        `SELECT n_tup_upd::int AS updated, n_tup_hot_upd::int AS hot FROM pg_stat_xact_user_tables
          WHERE relname = 'conversation'`,
      )
      expect(counts).toEqual({ updated: 1, hot: 1 })
      // And nothing added since may index what a turn rewrites.
      const indexes: { definition: string }[] = await runner.query(
        `SELECT pg_get_indexdef(indexrelid) AS definition FROM pg_index WHERE indrelid = 'conversation'::regclass`,
      )
      const rewritten = /\b(dialog|dialog_expires_at|updated_at|last_inbound_at)\b/
      expect(indexes.filter(({ definition }) => rewritten.test(definition))).toEqual([])
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction()
      await runner.query(`DEALLOCATE ALL`)
      await runner.release()
    }
  })

  it('keeps the case history append-only', async () => {
    const [{ id }] = await db.dataSource.query(
      `INSERT INTO service_case (case_no, kind, category, project_id, intake_channel, description)
       SELECT 'TS-APPEND-1', 'complaint', '其他', id, 'test', '测试' FROM project LIMIT 1 RETURNING id`,
    )
    await db.dataSource.query(`INSERT INTO case_event (case_id, actor, kind) VALUES ($1, 'test', 'opened')`, [
      id,
    ])
    await expect(
      db.dataSource.query(`UPDATE case_event SET kind = 'forged' WHERE case_id = $1`, [id]),
    ).rejects.toThrow(/append-only/)
    await expect(db.dataSource.query(`DELETE FROM case_event WHERE case_id = $1`, [id])).rejects.toThrow(
      /append-only/,
    )
  })

  it('gives a household at most one current ambassador', async () => {
    await expect(
      db.dataSource.query(
        `INSERT INTO ambassador_assignment (household_id, ambassador_id)
         SELECT household_id, ambassador_id FROM ambassador_assignment WHERE ended_at IS NULL LIMIT 1`,
      ),
    ).rejects.toThrow(/ambassador_assignment_current/)
  })

  it('seeds the demo idempotently', async () => {
    const counts = () =>
      db.dataSource.query(
        `SELECT (SELECT count(*) FROM owner)::int AS owners, (SELECT count(*) FROM unit)::int AS units,
                (SELECT count(*) FROM ambassador_assignment)::int AS assignments`,
      )
    const before = await counts()
    await seedAndBind(db.dataSource, {})
    expect(await counts()).toEqual(before)
    expect(before[0]).toEqual({ owners: 4, units: 4, assignments: 3 })
  })
})
