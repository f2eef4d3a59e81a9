import cron, { type ScheduledTask } from 'node-cron'
import type { Logger } from '../logger'

export interface Sweep {
  name: string
  /** node-cron expression, seconds field first. */
  schedule: string
  run(): Promise<unknown>
}

/**
 * node-cron only wakes sweeps; what is due lives in Postgres, claimed with SKIP LOCKED, so any number of
 * instances may run the same schedule and a missed tick is caught up by the next one.
 */
export function startScheduler(sweeps: Sweep[], logger: Logger): { stop(): Promise<void> } {
  const running = new Set<Promise<void>>()
  let stopped = false
  const tasks: ScheduledTask[] = sweeps.map((sweep) =>
    cron.schedule(
      sweep.schedule,
      async () => {
        if (stopped) return
        const run = (async () => {
          try {
            await sweep.run()
          } catch (error) {
            logger.error({ err: error, sweep: sweep.name }, 'sweep failed; next tick retries')
          }
        })()
        running.add(run)
        await run.finally(() => running.delete(run))
      },
      { name: sweep.name, noOverlap: true, timezone: 'Asia/Shanghai' },
    ),
  )
  return {
    /** Stops the schedules and waits for sweeps already running, so nothing outlives the database pool. */
    async stop() {
      stopped = true
      await Promise.all(tasks.map((task) => task.destroy()))
      await Promise.allSettled([...running])
    },
  }
}
