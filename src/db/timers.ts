import type { EntityManager } from 'typeorm'

/** Durable timers: one pending row per (kind, subject); scheduling again moves it. */
export async function scheduleTimer(
  manager: EntityManager,
  kind: string,
  subjectKey: string,
  dueAt: Date,
  payload: Record<string, unknown> = {},
): Promise<void> {
  await scheduleTimers(manager, [{ kind, subjectKey, dueAt, payload }])
}

export interface TimerToSchedule {
  kind: string
  subjectKey: string
  dueAt: Date
  payload?: Record<string, unknown>
}

/** Schedules the timers given as $1–$4 (kinds, subjects, due times, payloads), as scheduleTimer would. */
const SCHEDULE_TIMERS = `
  INSERT INTO timer (kind, subject_key, due_at, payload)
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::jsonb[])
  ON CONFLICT (kind, subject_key) WHERE status = 'pending'
  DO UPDATE SET due_at = EXCLUDED.due_at, payload = EXCLUDED.payload`

function timerParameters(timers: TimerToSchedule[]): unknown[] {
  return [
    timers.map((timer) => timer.kind),
    timers.map((timer) => timer.subjectKey),
    timers.map((timer) => timer.dueAt),
    timers.map((timer) => JSON.stringify(timer.payload ?? {})),
  ]
}

/** Several timers (of different kinds) in one statement: each scheduled as scheduleTimer would. */
export async function scheduleTimers(manager: EntityManager, timers: TimerToSchedule[]): Promise<void> {
  if (timers.length === 0) return
  await manager.query(SCHEDULE_TIMERS, timerParameters(timers))
}

/**
 * Timers scheduled by the statement that makes the change they follow (a write whose parameters start
 * at $5): one round trip for both, as when a case's clock starts.
 */
export async function scheduleTimersWith(
  manager: Pick<EntityManager, 'query'>,
  timers: TimerToSchedule[],
  change: { sql: string; parameters: unknown[] },
): Promise<void> {
  await manager.query(`WITH change AS (${change.sql}) ${SCHEDULE_TIMERS}`, [
    ...timerParameters(timers),
    ...change.parameters,
  ])
}

export async function cancelTimers(
  manager: EntityManager,
  subjectKey: string,
  kinds: string[],
): Promise<void> {
  await manager.query(
    `UPDATE timer SET status = 'cancelled' WHERE subject_key = $1 AND kind = ANY($2) AND status = 'pending'`,
    [subjectKey, kinds],
  )
}

/** Creates the timer unless one of its kind and subject is already pending (recurring jobs at start-up). */
export async function ensureTimer(
  manager: EntityManager,
  kind: string,
  subjectKey: string,
  dueAt: Date,
  payload: Record<string, unknown> = {},
): Promise<void> {
  await manager.query(
    `INSERT INTO timer (kind, subject_key, due_at, payload) VALUES ($1, $2, $3, $4)
     ON CONFLICT (kind, subject_key) WHERE status = 'pending' DO NOTHING`,
    [kind, subjectKey, dueAt, JSON.stringify(payload)],
  )
}
