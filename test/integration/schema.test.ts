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
