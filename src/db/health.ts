import type { Clock } from '../clock'
import type { DataSource } from 'typeorm'
import { calendarKnownThrough } from '../domain/chinese-calendar'
import { shanghaiClock } from '../domain/working-time'

export interface CalendarHealth {
  knownThrough: number
  /** Set when the official holiday calendar ends within the look-ahead: SLA deadlines there are guesses. */
  warning?: string
}

export interface HealthProbe {
  /**
   * Whether this instance should get traffic, check by check: the database reachable and migrated,
   * not shutting down, and the WeCom token obtainable where WeCom is configured.
   */
  readiness(): Promise<Record<string, boolean>>
  calendar(): CalendarHealth
  /** Reports the database: reachable, its kind, and whether migrations are all applied. */
  database(): Promise<{
    status: 'up' | 'down'
    kind: string
    latencyMs?: number
    pendingMigrations?: boolean
    error?: string
  }>
}

/** Warn this long before the holiday calendar runs out (the State Council publishes in autumn). */
const CALENDAR_LOOKAHEAD_DAYS = 60

export function calendarHealth(now: Date): CalendarHealth {
  const year = Number(shanghaiClock(now).ymd.slice(0, 4))
  const knownThrough = calendarKnownThrough(year)
  const horizon = Number(
    shanghaiClock(new Date(now.getTime() + CALENDAR_LOOKAHEAD_DAYS * 86_400_000)).ymd.slice(0, 4),
  )
  return horizon > knownThrough
    ? {
        knownThrough,
        warning:
          `the official holiday arrangement for ${knownThrough + 1} is not known yet: SLA deadlines there use the ` +
          `statutory holidays (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆, with 补假) without the State Council's ` +
          `调休 make-up days; update the chinese-days package once it is published, or enter the days ` +
          `(PUT /api/v1/calendar/${knownThrough + 1}/days/:date)`,
      }
    : { knownThrough }
}

export function databaseHealth(
  dataSource: DataSource,
  kind: string,
  clock: Clock,
  more: { draining(): boolean; checks?: Record<string, () => Promise<boolean>> },
): HealthProbe {
  return {
    calendar: () => calendarHealth(clock()),
    async readiness() {
      const database = await this.database()
      const checks: Record<string, boolean> = {
        database: database.status === 'up' && !database.pendingMigrations,
        accepting: !more.draining(),
      }
      for (const [name, check] of Object.entries(more.checks ?? {})) checks[name] = await check()
      return checks
    },
    async database() {
      const started = performance.now()
      try {
        await dataSource.query('SELECT 1')
        const pendingMigrations = await dataSource.showMigrations()
        return { status: 'up', kind, latencyMs: Math.round(performance.now() - started), pendingMigrations }
      } catch (error) {
        return { status: 'down', kind, error: error instanceof Error ? error.message : String(error) }
      }
    },
  }
}
