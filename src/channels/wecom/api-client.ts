import type { Logger } from '../../logger'

/** An error answer of the WeCom API (errcode ≠ 0) that retrying will not fix. */
export class WeComError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly api: string,
    /** Worth trying again later (rate limits, system busy, 5xx) once our own retries are spent. */
    readonly retryable: boolean,
    /** When trying again makes sense: the API is blocked or its budget spent until then. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(`${api}: ${errcode} ${errmsg}`)
  }
}

/** Tokens WeCom revoked or expired: fetch a new one and repeat the call. */
const REFRESH_TOKEN = new Set([40014, 42001, 41001])
/** System busy or the concurrency limit: wait a little and repeat. */
const BACK_OFF = new Set([-1, 45033])
/** Over the frequency limit: WeCom refuses the API for a while, and calls meanwhile only prolong it. */
const RATE_LIMITED = 45009
/** A spent budget frees up within this long is waited for; a longer wait goes back to the caller. */
const LONGEST_INLINE_WAIT_SECONDS = 1

/**
 * WeCom's per-corp, per-API frequency limits, kept by all instances together. App messages are paced by
 * it too, although WeCom counts them by member instead (the app channel keeps those limits): their
 * volume is far below the base limit, and a 45009 on them then blocks them for every instance as well.
 */
export interface RateBudget {
  /** Spends one call of `key`: 0 to go now, else the seconds until a call is allowed. */
  take(key: string): Promise<number>
  /** Sets aside up to `wanted` calls of `key` for this instance; answers how many it holds. */
  reserve(key: string, wanted: number): Promise<number>
  /** WeCom answered 45009: no calls of `key` for `seconds`, by any instance. */
  block(key: string, seconds: number): Promise<void>
}

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
  /** Absent: calls are not paced (tests of other things). */
  budget?: RateBudget
  /** How long an API is left alone after WeCom answers 45009 (WeCom blocks it for a minute). */
  blockSeconds?: number
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
 * off on -1/45033 and HTTP 5xx. Calls are paced by the shared rate budget; a 45009 blocks the API for
 * every instance and is thrown with the time to try again. Other errcodes are final (WeComError).
 */
/** Where a download's file travels through the JSON-shaped call path. */
const DOWNLOADED = '__downloaded'

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

  /**
   * A file from WeCom (media/get): its bytes and the type WeCom states, with the same token refresh,
   * back-off and rate budget as every call. WeCom answers an error as JSON, a file as the file; one
   * larger than `maxBytes` is refused before it is read into memory.
   */
  async download(
    api: string,
    query: Record<string, string>,
    maxBytes: number,
  ): Promise<{ bytes: Buffer; contentType: string | null; fileName: string | null }> {
    const answer = await this.call<Json>(api, { method: 'GET' }, query, maxBytes)
    const file = answer[DOWNLOADED] as { bytes: Buffer; contentType: string | null; fileName: string | null }
    if (!file) throw new WeComError(-1, 'WeCom answered JSON where a file was expected', api, false)
    return file
  }

  /** Sets aside up to `wanted` calls of `api` for this instance (the outbox asks before claiming). */
  reserve(api: string, wanted: number): Promise<number> {
    const budget = this.options.budget
    if (!budget) return Promise.resolve(wanted)
    return budget.reserve(this.budgetKey(api), wanted)
  }

  private budgetKey(api: string): string {
    return `${this.options.corpId}${api}`
  }

  /** Waits for the budget of `api` when it frees up soon; otherwise throws with when to try again. */
  private async spend(api: string): Promise<void> {
    const budget = this.options.budget
    if (!budget) return
    for (;;) {
      const wait = await budget.take(this.budgetKey(api))
      if (wait === 0) return
      if (wait > LONGEST_INLINE_WAIT_SECONDS) {
        throw new WeComError(
          RATE_LIMITED,
          'held back to keep within the frequency limit',
          api,
          true,
          Math.ceil(wait),
        )
      }
      await new Promise((resolve) => setTimeout(resolve, wait * 1000))
    }
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

  /** Whether an access token can be had now (from the shared cache, or from WeCom): for /readyz. */
  async tokenAvailable(): Promise<boolean> {
    try {
      await this.token()
      return true
    } catch {
      return false
    }
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
    /** Set for downloads: a non-JSON answer is a file of at most this many bytes. */
    maxBytes?: number,
  ): Promise<T> {
    const maxAttempts = this.options.maxAttempts ?? 4
    let stale: string | undefined
    let last: WeComError | null = null
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const token = await this.token(stale)
      await this.spend(api)
      let answer: Json
      try {
        answer = await this.fetchJson(api, { ...init, query: { ...query, access_token: token } }, maxBytes)
      } catch (error) {
        if (error instanceof WeComError) throw error
        last = new WeComError(-1, String(error), api, true)
        await this.pause(attempt)
        continue
      }
      const errcode = Number(answer.errcode ?? 0)
      if (errcode === 0) return answer as T
      if (errcode === RATE_LIMITED) {
        const seconds = this.options.blockSeconds ?? 60
        this.options.logger.warn({ api, seconds }, 'wecom frequency limit hit; leaving the API alone')
        await this.options.budget?.block(this.budgetKey(api), seconds)
        throw new WeComError(errcode, String(answer.errmsg ?? ''), api, true, seconds)
      }
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

  private async fetchJson(
    api: string,
    init: RequestInit & { query: Record<string, string> },
    maxBytes?: number,
  ): Promise<Json> {
    const url = new URL(api, this.options.baseUrl)
    for (const [key, value] of Object.entries(init.query)) url.searchParams.set(key, value)
    const response = await fetch(url, {
      ...init,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? (maxBytes ? 60_000 : 10_000)),
    })
    if (response.status >= 500) throw new Error(`HTTP ${response.status} from ${api}`)
    const type = response.headers.get('content-type')
    if (maxBytes === undefined || /json/i.test(type ?? '')) return (await response.json()) as Json
    const declared = Number(response.headers.get('content-length') ?? 0)
    if (declared > maxBytes) {
      await response.body?.cancel()
      throw new WeComError(-2, `file of ${declared} bytes is over the ${maxBytes}-byte limit`, api, false)
    }
    const bytes = Buffer.from(await response.arrayBuffer())
    if (bytes.length > maxBytes)
      throw new WeComError(-2, `file of ${bytes.length} bytes is over the ${maxBytes}-byte limit`, api, false)
    const disposition = response.headers.get('content-disposition') ?? ''
    const fileName = /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? null
    return { errcode: 0, [DOWNLOADED]: { bytes, contentType: type, fileName } }
  }
}
