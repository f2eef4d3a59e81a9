import type { EntityManager } from 'typeorm'
import { storeReport } from '../../db/report-queries'
import { shanghaiClock, shanghaiInstant } from '../../domain/working-time'
import { complaintAnalysis } from '../../db/report-queries'

/** The previous calendar month in Shanghai: [start, end) and its "YYYY-MM" name. */
export function previousMonth(now: Date): { period: string; from: Date; to: Date } {
  const [y, m] = shanghaiClock(now).ymd.split('-').map(Number)
  const first = new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 10)
  const next = new Date(Date.UTC(y, m - 1, 1)).toISOString().slice(0, 10)
  return { period: first.slice(0, 7), from: shanghaiInstant(first, 0), to: shanghaiInstant(next, 0) }
}

/**
 * 客户投诉分析报告: last month's complaints by category, project, owner stage and channel. Stored once
 * per month (a second run keeps the first).
 */
export async function monthlyComplaintReport(
  manager: EntityManager,
  now: Date,
): Promise<{ period: string; total: number }> {
  const { period } = previousMonth(now)
  const data = await complaintAnalysis(manager, period)
  await storeReport(manager, 'complaint-monthly', period, data)
  return { period, total: data.total }
}
