import { SLA_STATES, slaState, slaStateSql, DUE_SOON_MINUTES } from '../../src/domain/sla-state'
import { createTestDatabase, type TestDatabase } from '../support/db'

/** The SLA state is written twice, in TypeScript and in SQL: the two must agree on every case. */
let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db.drop())

const now = new Date('2026-12-01T02:00:00Z')
const at = (minutes: number | null) => (minutes === null ? null : new Date(now.getTime() + minutes * 60_000))

describe('the SLA state', () => {
  it('reads the same in TypeScript and in SQL for every combination of deadline, reply and pause', async () => {
    const offsets = [null, -600, -1, 0, 1, DUE_SOON_MINUTES - 1, DUE_SOON_MINUTES + 1, 6000]
    const cases = []
    for (const due of offsets)
      for (const met of offsets)
        for (const paused of [null, -30])
          cases.push({ replyDueAt: at(due), replyMetAt: at(met), slaPausedAt: at(paused) })
    const rows: { state: string | null }[] = await db.dataSource.query(
      `SELECT ${slaStateSql(2)} AS state
         FROM jsonb_to_recordset($1::jsonb)
           AS c(ord int, reply_due_at timestamptz, reply_met_at timestamptz, sla_paused_at timestamptz)
        ORDER BY ord`,
      [
        JSON.stringify(
          cases.map((c, ord) => ({
            ord,
            reply_due_at: c.replyDueAt,
            reply_met_at: c.replyMetAt,
            sla_paused_at: c.slaPausedAt,
          })),
        ),
        now,
      ],
    )
    const inTypeScript = cases.map((c) => slaState(c, now))
    expect(rows.map((r) => r.state)).toEqual(inTypeScript)
    // Every state occurs, so the comparison covers them all.
    expect(new Set(inTypeScript)).toEqual(new Set([...SLA_STATES, null]))
  })

  it('judges a met deadline by when it was met, not by the time now', () => {
    const dueAt = new Date('2026-11-24T09:00:00Z')
    const facts = { replyDueAt: dueAt, replyMetAt: new Date('2026-11-23T09:00:03Z'), slaPausedAt: null }
    expect(slaState(facts, new Date('2027-06-01T00:00:00Z'))).toBe('met')
    expect(slaState({ ...facts, replyMetAt: new Date('2026-11-24T09:00:01Z') }, dueAt)).toBe('breached')
    expect(slaState({ ...facts, replyMetAt: null }, new Date('2026-11-24T09:00:01Z'))).toBe('breached')
    expect(slaState({ ...facts, replyMetAt: null, slaPausedAt: dueAt }, new Date('2027-01-01'))).toBe(
      'paused',
    )
  })
})
