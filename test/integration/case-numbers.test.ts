import { openCase } from '../../src/db/case-store'
import { formatCaseNo, type CaseKind } from '../../src/domain/case'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { seedAndBind } from '../support/harness'

/** The database numbers a case as it inserts it; the domain says what a number looks like. */
let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
  await seedAndBind(db.dataSource, {})
})
afterAll(() => db.drop())

async function numberOpened(kind: CaseKind, at: Date, sequence: number): Promise<string> {
  await db.dataSource.query(`SELECT setval('case_no_seq', $1, false)`, [sequence])
  const [{ id: projectId }] = await db.dataSource.query(`SELECT id FROM project ORDER BY id LIMIT 1`)
  return db.dataSource.transaction(
    async (manager) =>
      (
        await openCase(manager, {
          kind,
          category: '其他',
          projectId,
          householdId: null,
          ownerId: null,
          unitId: null,
          publicArea: true,
          ambassadorId: null,
          intakeChannel: 'test',
          description: '编号测试',
          actor: 'test',
          now: at,
        })
      ).caseNo,
  )
}

describe('case numbers', () => {
  it.each([
    ['complaint', '2026-11-22T17:00:00Z', 42, 'TS20261123-0042'],
    ['repair', '2026-12-31T15:59:00Z', 1, 'BX20261231-0001'],
    ['alert', '2026-12-31T16:00:00Z', 9999, 'YJ20270101-9999'],
    ['repair', '2027-02-05T02:00:00Z', 12345, 'BX20270205-12345'],
  ] as const)(
    'a %s opened at %s as number %i is %s, as the domain writes it',
    async (kind, at, sequence, expected) => {
      const numbered = await numberOpened(kind, new Date(at), sequence)
      expect(numbered).toBe(expected)
      expect(numbered).toBe(formatCaseNo(kind, new Date(at), sequence))
    },
  )
})
