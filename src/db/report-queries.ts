import type { EntityManager } from 'typeorm'
import { branchScore, needsHeadReview, rankContractors } from '../domain/scoring'
import { slaStateSql } from '../domain/sla-state'
import { shanghaiInstant } from '../domain/working-time'

type Db = Pick<EntityManager, 'query'>

/** The branches a report covers: null for the whole group, else a list (a branch head's own). */
export type Branches = string[] | null

/** SQL that keeps the rows of a project alias `p` in `branches`, given as parameter `$n`. */
const inBranches = (n: number) => `($${n}::text[] IS NULL OR p.branch = ANY($${n}::text[]))`

/** "2026-11" → the month's bounds in Shanghai time. */
export function monthBounds(period: string): { from: Date; to: Date } {
  const [y, m] = period.split('-').map(Number)
  const first = new Date(Date.UTC(y, m - 1, 1)).toISOString().slice(0, 10)
  const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10)
  return { from: shanghaiInstant(first, 0), to: shanghaiInstant(next, 0) }
}

const previousPeriod = (period: string, back: number) => {
  const [y, m] = period.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1 - back, 1)).toISOString().slice(0, 7)
}

export async function complaintAnalysis(db: Db, period: string, branches: Branches = null) {
  const { from, to } = monthBounds(period)
  const breakdown = async (expression: string, join = '') =>
    (await db.query(
      `SELECT ${expression} AS key, count(*)::int AS complaints
         FROM service_case c JOIN project p ON p.id = c.project_id ${join}
        WHERE c.kind = 'complaint' AND c.created_at >= $1 AND c.created_at < $2 AND ${inBranches(3)}
        GROUP BY 1 ORDER BY 2 DESC, 1`,
      [from, to, branches],
    )) as { key: string; complaints: number }[]
  const byCategory = await breakdown('c.category')
  return {
    period,
    total: byCategory.reduce((sum, row) => sum + row.complaints, 0),
    byCategory,
    byProject: await breakdown('p.name'),
    byStage: await breakdown(`COALESCE(h.stage, '未知')`, 'LEFT JOIN household h ON h.id = c.household_id'),
    byChannel: await breakdown('c.intake_channel'),
  }
}

export async function slaCompliance(db: Db, period: string, branches: Branches, now: Date) {
  const { from, to } = monthBounds(period)
  // The cases' SLA state as everywhere else (src/domain/sla-state.ts), judged now: a late reply is a
  // breach, an unanswered case past its deadline too.
  const rows: { kind: string; cases: number; breached: number }[] = await db.query(
    `SELECT c.kind, count(*)::int AS cases,
            count(*) FILTER (WHERE ${slaStateSql(4)} = 'breached')::int AS breached
       FROM service_case c JOIN project p ON p.id = c.project_id
      WHERE c.reply_due_at IS NOT NULL AND c.created_at >= $1 AND c.created_at < $2 AND ${inBranches(3)}
      GROUP BY c.kind ORDER BY c.kind`,
    [from, to, branches, now],
  )
  return {
    period,
    byKind: rows.map((r) => ({
      ...r,
      compliance: r.cases === 0 ? 1 : Math.round((1 - r.breached / r.cases) * 1000) / 1000,
    })),
  }
}

export async function satisfaction(db: Db, period: string, branches: Branches = null) {
  const { from, to } = monthBounds(period)
  const rows: { score: number; n: number }[] = await db.query(
    `SELECT s.score, count(*)::int AS n
       FROM survey s JOIN service_case c ON c.id = s.case_id JOIN project p ON p.id = c.project_id
      WHERE s.answered_at >= $1 AND s.answered_at < $2 AND ${inBranches(3)}
      GROUP BY s.score ORDER BY s.score DESC`,
    [from, to, branches],
  )
  const answered = rows.reduce((sum, r) => sum + r.n, 0)
  const average =
    answered === 0
      ? null
      : Math.round((rows.reduce((sum, r) => sum + r.score * r.n, 0) / answered) * 100) / 100
  return { period, answered, average, byScore: rows }
}

/** A branch's view ranks the contractors on the scores of that branch's cases only. */
export async function contractorRanking(db: Db, period: string, branches: Branches = null) {
  const { from, to } = monthBounds(period)
  const rows: { id: number; name: string; contract_value: string; scores: number[] }[] = await db.query(
    `SELECT k.id, k.name, k.contract_value, array_agg(s.score) FILTER (WHERE s.score IS NOT NULL) AS scores
       FROM contractor k
       LEFT JOIN (service_case c JOIN project p ON p.id = c.project_id AND ${inBranches(3)})
              ON c.contractor_id = k.id
       LEFT JOIN survey s ON s.case_id = c.id AND s.answered_at >= $1 AND s.answered_at < $2
      GROUP BY k.id ORDER BY k.id`,
    [from, to, branches],
  )
  return {
    period,
    ranking: rankContractors(
      rows.map((r) => ({
        contractorId: r.id,
        name: r.name,
        contractValue: Number(r.contract_value),
        scores: r.scores ?? [],
      })),
    ),
  }
}

async function branchMonths(db: Db, period: string, branches: Branches) {
  const { from, to } = monthBounds(period)
  const rows: {
    branch: string
    cases: number
    with_deadline: number
    breached: number
    escalated: number
    satisfaction: string | null
  }[] = await db.query(
    `SELECT p.branch, count(*)::int AS cases,
              count(*) FILTER (WHERE c.reply_due_at IS NOT NULL)::int AS with_deadline,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM case_event e WHERE e.case_id = c.id AND e.kind = 'sla_breached'))::int AS breached,
              count(*) FILTER (WHERE c.escalation_level > 0)::int AS escalated,
              (SELECT avg(s.score) FROM survey s JOIN service_case sc ON sc.id = s.case_id JOIN project sp ON sp.id = sc.project_id
                WHERE sp.branch = p.branch AND s.answered_at >= $1 AND s.answered_at < $2) AS satisfaction
         FROM service_case c JOIN project p ON p.id = c.project_id
        WHERE c.created_at >= $1 AND c.created_at < $2 AND c.kind <> 'alert' AND ${inBranches(3)}
          AND p.branch IS NOT NULL
        GROUP BY p.branch ORDER BY p.branch`,
    [from, to, branches],
  )
  return new Map(
    rows.map((r) => [
      r.branch,
      branchScore({
        cases: r.cases,
        casesWithDeadline: r.with_deadline,
        breached: r.breached,
        escalated: r.escalated,
        averageSatisfaction: r.satisfaction === null ? null : Number(r.satisfaction),
      }),
    ]),
  )
}

/** Branch scores of the month, and whether the last three months call for a review of the branch head. */
export async function branchScores(db: Db, period: string, branches: Branches = null) {
  const months = await Promise.all(
    [0, 1, 2].map((back) => branchMonths(db, previousPeriod(period, back), branches)),
  )
  return {
    period,
    branches: [...months[0].entries()].map(([branch, score]) => {
      const lastThree = months.map((m) => m.get(branch)).filter((s): s is number => s !== undefined)
      return { branch, score, headReview: needsHeadReview(lastThree) }
    }),
  }
}

/** Keeps a report for its period; a second run keeps the first. */
export async function storeReport(db: Db, kind: string, period: string, data: object): Promise<void> {
  await db.query(
    `INSERT INTO report (kind, period, data) VALUES ($1, $2, $3) ON CONFLICT (kind, period) DO NOTHING`,
    [kind, period, JSON.stringify(data)],
  )
}
