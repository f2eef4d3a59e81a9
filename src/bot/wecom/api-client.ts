import type { Logger } from '../../logger'

/** An error answer of the WeCom API (errcode ≠ 0) that retrying will not fix. */
export class WeComError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly api: string,
    /** Worth trying again later (rate limits, system busy, 5xx) once our own retries are spent. */
    readonly retryable: boolean,
  ) {
    super(`${api}: ${errcode} ${errmsg}`)
  }
}

/** Tokens WeCom revoked or expired: fetch a new one and repeat the call. */
const REFRESH_TOKEN = new Set([40014, 42001, 41001])
/** System busy, rate or concurrency limit: wait and repeat. */
const BACK_OFF = new Set([-1, 45009, 45033])

/** Where access tokens and tickets live: one cache for all instances, one refresh at a time. */
export interface CredentialCache {
  /** A valid credential for `key`; `stale` is a value the caller saw rejected, never to be returned again. */
  get(
    key: string,
    fetch: () => Promise<{ value: string; expiresIn: number }>,
    stale?: string,
  ): Promise<string>
}

export interface WeComApiOptions {
  baseUrl: string
  corpId: string
  secret: string
  credentials: CredentialCache
  logger: Logger
  maxAttempts?: number
  /** Backoff before attempt n (1-based); tests make it instant. */
  backoffMs?: (attempt: number) => number
  timeoutMs?: number
}

type Json = Record<string, unknown>

/**
 * The WeCom server API for one self-built app (one corp id + secret). Every call carries the cached
 * access token, refreshes it once when WeCom says it is invalid or expired (40014/42001/41001), and backs
 * off on -1/45009/45033 and HTTP 5xx. Other errcodes are final and thrown as WeComError.
 */
export class WeComApi {
  private readonly tokenKey: string

  constructor(private readonly options: WeComApiOptions) {
    this.tokenKey = `access_token:${options.corpId}:${options.secret.slice(0, 6)}`
  }

  async post<T extends Json>(api: string, body: Json): Promise<T> {
    return this.call<T>(api, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    })
  }

  async get<T extends Json>(api: string, query: Record<string, string> = {}): Promise<T> {
    return this.call<T>(api, { method: 'GET' }, query)
  }

  /** The JS-SDK tickets, cached like the token (corp ticket for wx.config, agent ticket for agentConfig). */
  jsapiTicket(kind: 'corp' | 'agent'): Promise<string> {
    return this.options.credentials.get(`jsapi_ticket:${kind}:${this.options.corpId}`, async () => {
      const answer =
        kind === 'corp'
          ? await this.get<{ ticket: string; expires_in: number }>('/cgi-bin/get_jsapi_ticket')
          : await this.get<{ ticket: string; expires_in: number }>('/cgi-bin/ticket/get', {
              type: 'agent_config',
            })
      return { value: answer.ticket, expiresIn: answer.expires_in }
    })
  }

  private token(stale?: string): Promise<string> {
    return this.options.credentials.get(
      this.tokenKey,
      async () => {
        const answer = await this.fetchJson('/cgi-bin/gettoken', {
          method: 'GET',
          query: { corpid: this.options.corpId, corpsecret: this.options.secret },
        })
        const errcode = Number(answer.errcode ?? 0)
        if (errcode !== 0)
          throw new WeComError(errcode, String(answer.errmsg), 'gettoken', BACK_OFF.has(errcode))
        return { value: String(answer.access_token), expiresIn: Number(answer.expires_in) }
      },
      stale,
    )
  }

  private async call<T extends Json>(
    api: string,
    init: RequestInit,
    query: Record<string, string> = {},
  ): Promise<T> {
    const maxAttempts = this.options.maxAttempts ?? 4
    let stale: string | undefined
    let last: WeComError | null = null
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const token = await this.token(stale)
      let answer: Json
      try {
        answer = await this.fetchJson(api, { ...init, query: { ...query, access_token: token } })
      } catch (error) {
        last = new WeComError(-1, String(error), api, true)
        await this.pause(attempt)
        continue
      }
      const errcode = Number(answer.errcode ?? 0)
      if (errcode === 0) return answer as T
      last = new WeComError(
        errcode,
        String(answer.errmsg ?? ''),
        api,
        REFRESH_TOKEN.has(errcode) || BACK_OFF.has(errcode),
      )
      if (REFRESH_TOKEN.has(errcode)) {
        this.options.logger.info({ api, errcode }, 'wecom token rejected; refreshing')
        stale = token
        continue
      }
      if (!BACK_OFF.has(errcode)) throw last
      this.options.logger.warn({ api, errcode, attempt }, 'wecom busy or rate-limited; backing off')
      await this.pause(attempt)
    }
    throw last ?? new WeComError(-1, 'no attempt made', api, true)
  }

  private pause(attempt: number): Promise<void> {
    const ms = this.options.backoffMs?.(attempt) ?? Math.min(30_000, 500 * 2 ** attempt)
    return new Promise((resolve) => setTimeout(resolve, ms))
  }

  private async fetchJson(api: string, init: RequestInit & { query: Record<string, string> }): Promise<Json> {
    const url = new URL(api, this.options.baseUrl)
    for (const [key, value] of Object.entries(init.query)) url.searchParams.set(key, value)
    const response = await fetch(url, {
      ...init,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    })
    if (response.status >= 500) throw new Error(`HTTP ${response.status} from ${api}`)
    return (await response.json()) as Json
  }
}
