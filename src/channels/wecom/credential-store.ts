import type { DataSource } from 'typeorm'
import type { CredentialCache } from './api-client'

/** Renew this long before WeCom's own expiry, so a call never starts with a token about to die. */
const EARLY_RENEWAL_SECONDS = 300

/**
 * Access tokens and tickets in Postgres, shared by all instances. A refresh takes the row lock, so when
 * many calls (or instances) find the token missing at once, one fetches and the others read its result;
 * within one process concurrent callers share one promise as well. A value read is also kept in memory
 * until its renewal time: WeCom answers the same token while it is valid, whoever asks, so an instance
 * need not read it again for every message; a value reported rejected (`stale`) is never served.
 */
export class PgCredentialCache implements CredentialCache {
  private readonly inFlight = new Map<string, Promise<string>>()
  private readonly remembered = new Map<string, { value: string; renewAt: number }>()

  constructor(private readonly dataSource: DataSource) {}

  async get(
    key: string,
    fetch: () => Promise<{ value: string; expiresIn: number }>,
    stale?: string,
  ): Promise<string> {
    const known = this.remembered.get(key)
    if (known && known.value !== stale && Date.now() < known.renewAt) return known.value
    this.remembered.delete(key)
    const cached = await this.valid(key, stale)
    if (cached) return cached
    const running = this.inFlight.get(key)
    if (running) return running
    const refresh = this.refresh(key, fetch, stale).finally(() => this.inFlight.delete(key))
    this.inFlight.set(key, refresh)
    return refresh
  }

  private async valid(key: string, stale?: string): Promise<string | null> {
    const rows: { value: string; seconds_left: number }[] = await this.dataSource.query(
      `SELECT value, extract(epoch FROM expires_at - now())::float8 - $3 AS seconds_left FROM wecom_credential
        WHERE key = $1 AND value IS NOT NULL AND value IS DISTINCT FROM $2
          AND expires_at > now() + make_interval(secs => $3)`,
      [key, stale ?? null, EARLY_RENEWAL_SECONDS],
    )
    const row = rows[0]
    if (!row) return null
    this.remember(key, row.value, row.seconds_left)
    return row.value
  }

  private remember(key: string, value: string, secondsLeft: number): void {
    this.remembered.set(key, { value, renewAt: Date.now() + secondsLeft * 1000 })
  }

  private refresh(key: string, fetch: () => Promise<{ value: string; expiresIn: number }>, stale?: string) {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO wecom_credential (key) VALUES ($1) ON CONFLICT (key) DO NOTHING`, [
        key,
      ])
      const [row] = await manager.query(
        `SELECT value, expires_at > now() + make_interval(secs => $2) AS fresh
           FROM wecom_credential WHERE key = $1 FOR UPDATE`,
        [key, EARLY_RENEWAL_SECONDS],
      )
      // Another instance refreshed while we waited for the lock.
      if (row.value && row.fresh && row.value !== stale) return row.value as string
      const fetched = await fetch()
      this.remember(key, fetched.value, fetched.expiresIn - EARLY_RENEWAL_SECONDS)
      await manager.query(
        `UPDATE wecom_credential SET value = $2, expires_at = now() + make_interval(secs => $3), updated_at = now()
          WHERE key = $1`,
        [key, fetched.value, fetched.expiresIn],
      )
      return fetched.value
    })
  }
}
