import type { EntityManager } from 'typeorm'
import { shanghaiClock, shanghaiInstant } from '../domain/working-time'

/** The previous calendar month in Shanghai: [start, end) and its "YYYY-MM" name. */
export function previousMonth(now: Date): { period: string; from: Date; to: Date } {
  const [y, m] = shanghaiClock(now).ymd.split('-').map(Number)
  const first = new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 10)
  const next = new Date(Date.UTC(y, m - 1, 1)).toISOString().slice(0, 10)
  return { period: first.slice(0, 7), from: shanghaiInstant(first, 0), to: shanghaiInstant(next, 0) }
}

/**
 * 客户投诉分析报告: last month's complaints by category, project, owner stage and channel, with SLA
 * compliance. Stored once per month (a second run keeps the first).
 */
export async function monthlyComplaintReport(
  manager: EntityManager,
  now: Date,
): Promise<{ period: string; total: number }> {
  const { period, from, to } = previousMonth(now)
  const breakdown = async (expression: string, join = '') =>
    (await manager.query(
      `SELECT ${expression} AS key, count(*)::int AS complaints
         FROM service_case c ${join}
        WHERE c.kind = 'complaint' AND c.created_at >= $1 AND c.created_at < $2
        GROUP BY 1 ORDER BY 2 DESC, 1`,
      [from, to],
    )) as { key: string; complaints: number }[]
  const byCategory = await breakdown('c.category')
  const data = {
    period,
    total: byCategory.reduce((sum, row) => sum + row.complaints, 0),
    byCategory,
    byProject: await breakdown('p.name', 'JOIN project p ON p.id = c.project_id'),
    byStage: await breakdown(`COALESCE(h.stage, '未知')`, 'LEFT JOIN household h ON h.id = c.household_id'),
    byChannel: await breakdown('c.intake_channel'),
    escalated:
      (await breakdown(`CASE WHEN c.escalation_level > 0 THEN '已升级' ELSE '未升级' END`)).find(
        (row) => row.key === '已升级',
      )?.complaints ?? 0,
  }
  await manager.query(
    `INSERT INTO report (kind, period, data) VALUES ('complaint-monthly', $1, $2) ON CONFLICT (kind, period) DO NOTHING`,
    [period, JSON.stringify(data)],
  )
  return { period, total: data.total }
}
