import { systemClock, type Clock } from '../clock'
import type { DataSource, EntityManager } from 'typeorm'
import type { Logger } from '../logger'

export interface DueTimer {
  id: string
  kind: string
  subject_key: string
  due_at: Date
  payload: Record<string, unknown>
  attempts: number
}

/** Runs inside the sweep's transaction: what it writes commits with the timer's "fired" mark, or not at all. */
export type TimerHandler = (manager: EntityManager, timer: DueTimer, now: Date) => Promise<void>

const MAX_ATTEMPTS = 8

/**
 * Fires due timers exactly once across any number of instances: rows are claimed FOR UPDATE SKIP LOCKED
 * and marked fired in the same transaction as the handler's effects. A failing handler is rolled back
 * to its savepoint and retried later with backoff; the rest of the batch still fires. After downtime,
 * every missed timer fires once, because a timer is a row, not a tick.
 */
export class TimerSweep {
  constructor(
    private readonly dataSource: DataSource,
    private readonly handlers: Readonly<Record<string, TimerHandler>>,
    private readonly logger: Logger,
    private readonly clock: Clock = systemClock,
    private readonly batchSize = 50,
  ) {}

  /** Fires everything due now; returns how many timers fired. */
  async sweep(): Promise<number> {
    let fired = 0
    for (;;) {
      const now = this.clock()
      const { claimed, succeeded } = await this.dataSource.transaction((manager) =>
        this.fireBatch(manager, now),
      )
      fired += succeeded
      if (claimed < this.batchSize) return fired
    }
  }

  private async fireBatch(
    manager: EntityManager,
    now: Date,
  ): Promise<{ claimed: number; succeeded: number }> {
    const due: DueTimer[] = await manager.query(
      `SELECT id, kind, subject_key, due_at, payload, attempts FROM timer
        WHERE status = 'pending' AND due_at <= $1
        ORDER BY due_at, id LIMIT $2
        FOR UPDATE SKIP LOCKED`,
      [now, this.batchSize],
    )
    let succeeded = 0
    for (const timer of due) {
      await manager.query('SAVEPOINT timer_handler')
      try {
        const handler = this.handlers[timer.kind]
        if (!handler) throw new Error(`no handler for timer kind ${timer.kind}`)
        // Marked first, so a handler may schedule the next timer of the same kind and subject.
        await manager.query(
          `UPDATE timer SET status = 'fired', fired_at = $2, attempts = attempts + 1 WHERE id = $1`,
          [timer.id, now],
        )
        await handler(manager, timer, now)
        await manager.query('RELEASE SAVEPOINT timer_handler')
        succeeded += 1
      } catch (error) {
        await manager.query('ROLLBACK TO SAVEPOINT timer_handler')
        const attempts = timer.attempts + 1
        const givingUp = attempts >= MAX_ATTEMPTS
        this.logger.error(
          { err: error, timer: timer.id, kind: timer.kind, attempts, givingUp },
          'timer failed',
        )
        await manager.query(
          `UPDATE timer SET attempts = $2::int, status = CASE WHEN $3 THEN 'cancelled' ELSE status END,
                  due_at = $4::timestamptz + make_interval(secs => least(3600, power(2, $2::int) * 30)),
                  payload = payload || jsonb_build_object('lastError', $5::text)
            WHERE id = $1`,
          [timer.id, attempts, givingUp, now, String(error).slice(0, 500)],
        )
      }
    }
    return { claimed: due.length, succeeded }
  }
}
