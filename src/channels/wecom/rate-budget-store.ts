import type { DataSource } from 'typeorm'
import type { RateBudget } from './api-client'
import { grant, refilled, type BucketShape } from '../../domain/rate-budget'

/** Tokens taken from the shared bucket at a time, so that most calls spend from memory. */
const BLOCK = 20
/** How often an instance spending from memory looks whether another one met a block meanwhile. */
const BLOCK_CHECK_MS = 1000

/**
 * WeCom's per-API frequency limits kept across instances: one token bucket per corp and API in
 * Postgres, taken from in small blocks under its row lock and spent from memory. An instance holds at
 * most a block (or what the outbox reserved for one round) unspent, and gives it up within a second
 * when another instance meets a block.
 */
export class PgRateBudget implements RateBudget {
  private readonly pools = new Map<string, { tokens: number; notBefore: number; checkedAt: number }>()
  private readonly created = new Set<string>()

  constructor(
    private readonly dataSource: DataSource,
    private readonly shape: BucketShape,
  ) {}

  async take(key: string): Promise<number> {
    const pool = await this.pool(key)
    if (pool.tokens < 1) await this.reserve(key, BLOCK)
    if (pool.tokens < 1) return Math.max(0.001, (pool.notBefore - Date.now()) / 1000)
    pool.tokens -= 1
    return 0
  }

  async reserve(key: string, wanted: number): Promise<number> {
    const pool = await this.pool(key)
    // Topped up only once it runs low: the outbox asks every round, and each round may send just one.
    const low = pool.tokens < Math.min(wanted, BLOCK)
    if (low && Date.now() >= pool.notBefore) {
      const answer = await this.fromShared(key, wanted - pool.tokens)
      pool.tokens += answer.granted
      pool.checkedAt = Date.now()
      pool.notBefore = answer.granted > 0 ? 0 : Date.now() + answer.waitSeconds * 1000
    }
    return Math.min(wanted, pool.tokens)
  }

  async block(key: string, seconds: number): Promise<void> {
    this.pools.set(key, { tokens: 0, notBefore: Date.now() + seconds * 1000, checkedAt: Date.now() })
    await this.ensure(key)
    await this.dataSource.query(
      `UPDATE wecom_rate_budget
          SET tokens = 0, refilled_at = now(),
              blocked_until = greatest(blocked_until, now() + make_interval(secs => $2))
        WHERE key = $1`,
      [key, seconds],
    )
  }

  /** This instance's unspent tokens of `key`, emptied if another instance has met a block since. */
  private async pool(key: string) {
    let pool = this.pools.get(key)
    if (!pool) this.pools.set(key, (pool = { tokens: 0, notBefore: 0, checkedAt: 0 }))
    if (pool.tokens > 0 && Date.now() - pool.checkedAt > BLOCK_CHECK_MS) {
      pool.checkedAt = Date.now()
      const [row]: { blocked_for: number | null }[] = await this.dataSource.query(
        `SELECT extract(epoch FROM blocked_until - now())::float8 AS blocked_for FROM wecom_rate_budget WHERE key = $1`,
        [key],
      )
      if (row?.blocked_for && row.blocked_for > 0) {
        pool.tokens = 0
        pool.notBefore = Date.now() + row.blocked_for * 1000
      }
    }
    return pool
  }

  private async ensure(key: string): Promise<void> {
    if (this.created.has(key)) return
    await this.dataSource.query(
      `INSERT INTO wecom_rate_budget (key, tokens) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
      [key, this.shape.capacity],
    )
    this.created.add(key)
  }

  private async fromShared(key: string, wanted: number): Promise<{ granted: number; waitSeconds: number }> {
    await this.ensure(key)
    return this.dataSource.transaction(async (manager) => {
      const [row]: { tokens: number; elapsed: number; blocked_for: number | null }[] = await manager.query(
        `SELECT tokens, extract(epoch FROM now() - refilled_at)::float8 AS elapsed,
                extract(epoch FROM blocked_until - now())::float8 AS blocked_for
           FROM wecom_rate_budget WHERE key = $1 FOR UPDATE`,
        [key],
      )
      if (row.blocked_for !== null && row.blocked_for > 0) return { granted: 0, waitSeconds: row.blocked_for }
      const taken = grant(this.shape, refilled(this.shape, row.tokens, row.elapsed), wanted)
      await manager.query(`UPDATE wecom_rate_budget SET tokens = $2, refilled_at = now() WHERE key = $1`, [
        key,
        taken.remaining,
      ])
      return taken
    })
  }
}
