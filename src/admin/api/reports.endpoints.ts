import { z } from 'zod'
import {
  type Branches,
  branchScores,
  complaintAnalysis,
  contractorRanking,
  satisfaction,
  slaCompliance,
} from '../../db/report-queries'
import { toCsv } from '../../services/reports/csv'
import { scopeOf } from '../../db/access'
import { endpoint, sendCsv, type Request } from './endpoint'

const REPORT_ROLES = ['admin', 'group_centre', 'branch_head'] as const
const reportQuery = z.object({
  month: z.string().regex(/^2[01]\d\d-(0[1-9]|1[0-2])$/, 'YYYY-MM, from 2000 to 2199'),
  format: z.enum(['json', 'csv']).default('json'),
})
type ReportQuery = z.infer<typeof reportQuery>

/**
 * A report endpoint that answers JSON, or CSV of its main table for spreadsheets. A branch head's
 * reports cover their own branch only.
 */
function report<T>(
  path: string,
  summary: string,
  build: (
    db: Request<ReportQuery, undefined>['deps']['dataSource'],
    month: string,
    branches: Branches,
    now: Date,
  ) => Promise<T>,
  rows: (data: T) => Record<string, unknown>[],
) {
  return endpoint({
    method: 'get',
    path,
    summary,
    roles: REPORT_ROLES,
    query: reportQuery,
    async handle({ staff, query, deps, ctx }: Request<ReportQuery, undefined>) {
      const scope = await scopeOf(deps.dataSource, staff)
      const branches = scope.kind === 'branch' ? (scope.branch === null ? [] : [scope.branch]) : null
      const data = await build(deps.dataSource, query.month, branches, deps.now())
      if (query.format === 'json') return data
      return sendCsv(ctx, `${path.split('/').pop()}-${query.month}.csv`, toCsv(rows(data)))
    },
  })
}

export const reportEndpoints = [
  report(
    '/reports/complaints',
    'Monthly complaint analysis by category, project, owner stage and channel',
    complaintAnalysis,
    (d) => [
      ...d.byCategory.map((r) => ({ dimension: 'category', key: r.key, complaints: r.complaints })),
      ...d.byProject.map((r) => ({ dimension: 'project', key: r.key, complaints: r.complaints })),
      ...d.byStage.map((r) => ({ dimension: 'stage', key: r.key, complaints: r.complaints })),
      ...d.byChannel.map((r) => ({ dimension: 'channel', key: r.key, complaints: r.complaints })),
    ],
  ),
  report('/reports/sla', 'SLA compliance by case kind', slaCompliance, (d) => d.byKind),
  report(
    '/reports/satisfaction',
    'Callback satisfaction: answers, average and distribution',
    satisfaction,
    (d) => d.byScore,
  ),
  report(
    '/reports/contractors',
    'Contractor ranking with the reward/penalty bands',
    contractorRanking,
    (d) => d.ranking as unknown as Record<string, unknown>[],
  ),
  report('/reports/branches', 'Branch monthly scores and head-review flags', branchScores, (d) => d.branches),
]
