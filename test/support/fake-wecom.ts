import { randomBytes } from 'node:crypto'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CallbackCrypto } from '../../src/channels/wecom/callback-crypto'
import { buildWeComXml } from '../../src/channels/wecom/xml'

type Json = Record<string, unknown>

export interface KfCustomerMessage {
  msgid: string
  open_kfid: string
  external_userid: string
  send_time: number
  origin: number
  servicer_userid?: string
  msgtype: string
  text?: { content: string; menu_id?: string }
  image?: { media_id: string }
  voice?: { media_id: string }
  video?: { media_id: string }
  file?: { media_id: string }
  location?: { latitude: number; longitude: number; name?: string; address?: string }
}

/**
 * WeCom on loopback, speaking the documented protocol: gettoken with expiring tokens (42001), app
 * messages with the per-member limits (excess silently dropped, as WeCom does), template-card updates,
 * 微信客服 sync_msg with a cursor, send_msg with the 48-hour / 5-message rule (95001) and the servicer
 * state (95018), the per-API frequency limit (45009, then the API refused for a while), JS-API
 * tickets, injectable failures (5xx, 45009, -1), and callbacks to the app encrypted
 * and signed with real WXBizMsgCrypt, retried like WeCom when the answer is not a 200.
 */
export class FakeWeCom {
  static readonly corpTicket = 'corp-jsapi-ticket-7d1e'
  static readonly agentTicket = 'agent-jsapi-ticket-52b9'
  readonly corpId = 'ww4f1a7c2e9b0d3e51'
  readonly secret = 'fake-app-secret'
  readonly agentId = 1000002
  readonly token = 'AnjuCallbackToken'
  readonly aesKey = randomBytes(32)
    .toString('base64')
    .slice(0, 43)
    .replace(/[^A-Za-z0-9]/g, 'a')
  readonly crypto = new CallbackCrypto(this.token, this.aesKey, this.corpId)

  readonly appMessages: Json[] = []
  readonly cardUpdates: Json[] = []
  readonly kfSent: Json[] = []
  readonly kfTransfers: Json[] = []
  readonly calls: string[] = []
  /** Every API call with when it came and the errcode it got. */
  readonly log: { api: string; at: number; errcode: number }[] = []
  droppedByLimit = 0
  gettokenCalls = 0
  /** 访问频率限制: calls per corp and API in any minute (app messages excepted); over it, 45009. */
  perApiPerMinute = 10_000
  /** How long an API stays refused after going over (WeCom: a minute for the per-minute limit). */
  blockMs = 60_000
  /** The length of WeCom's minute, shortened in tests so that a minute passes in a second. */
  minuteMs = 60_000

  private server: http.Server | null = null
  private readonly tokens = new Set<string>()
  private readonly failures: { api: string; answer: number | 'http500'; times: number }[] = []
  private readonly memberSends = new Map<string, number[]>()
  private readonly apiCalls = new Map<string, { times: number[]; blockedUntil: number }>()
  private readonly kfMessages: KfCustomerMessage[] = []
  private readonly kfSession = new Map<
    string,
    { lastCustomerAt: number; sentSince: number; state: number; servicer?: string }
  >()
  private sequence = 0

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`
  }

  /** The environment that points an Anju instance at this server. */
  env(): Record<string, string> {
    return {
      WECOM_CORP_ID: this.corpId,
      WECOM_AGENT_ID: String(this.agentId),
      WECOM_SECRET: this.secret,
      WECOM_TOKEN: this.token,
      WECOM_AES_KEY: this.aesKey,
      WECOM_API_BASE: this.url,
      WECOM_RETRY_BASE_MS: '5',
      // WeCom leaves a rate-limited API blocked for a minute; the fake for a moment.
      WECOM_BLOCK_SECONDS: '0.3',
    }
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res))
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()))
  }

  /** Sets the per-API frequency limit (WeCom's by default) and forgets the calls counted so far. */
  limitFrequency(
    limit: { perMinute: number; minuteMs: number; blockMs: number } = FakeWeCom.wecomLimit,
  ): void {
    this.perApiPerMinute = limit.perMinute
    this.minuteMs = limit.minuteMs
    this.blockMs = limit.blockMs
    this.apiCalls.clear()
  }

  static readonly wecomLimit = { perMinute: 10_000, minuteMs: 60_000, blockMs: 60_000 }

  /** WeCom revokes every token it issued (as after a secret reset). */
  expireTokens(): void {
    this.tokens.clear()
  }

  /** The next `times` calls of `api` answer with this errcode (or HTTP 500). */
  failNext(api: string, answer: number | 'http500', times: number): void {
    this.failures.push({ api, answer, times })
  }

  /** A WeChat user writes to the kf account (or clicks a menu item); WeCom stores it and calls back. */
  /** Temporary media as WeCom keeps them for three days: a file a customer sent, by media_id. */
  readonly media = new Map<string, { bytes: Buffer; contentType: string; fileName: string }>()

  /** A file WeCom holds (as if a customer had sent it); returns its media_id. */
  holdMedia(bytes: Buffer, contentType: string, fileName = 'file'): string {
    const mediaId = `media-${randomBytes(8).toString('hex')}`
    this.media.set(mediaId, { bytes, contentType, fileName })
    return mediaId
  }

  /** Three days later: WeCom no longer has the file (media/get answers 40007). */
  forgetMedia(mediaId: string): void {
    this.media.delete(mediaId)
  }

  customerSays(
    openKfid: string,
    externalUserId: string,
    content: string,
    menuId?: string,
  ): KfCustomerMessage {
    return this.customerSends(openKfid, externalUserId, {
      msgtype: 'text',
      text: menuId ? { content, menu_id: menuId } : { content },
    })
  }

  /**
   * A customer sends any sync_msg message type: a voice note is `{msgtype: 'voice', voice: {media_id}}`,
   * a location `{msgtype: 'location', location: {latitude, longitude, name, address}}`, as documented.
   */
  customerSends(
    openKfid: string,
    externalUserId: string,
    content: Pick<KfCustomerMessage, 'msgtype'> & Partial<KfCustomerMessage>,
  ): KfCustomerMessage {
    this.sequence += 1
    const message: KfCustomerMessage = {
      msgid: `kfmsg-${this.sequence}-${randomBytes(3).toString('hex')}`,
      open_kfid: openKfid,
      external_userid: externalUserId,
      send_time: Math.floor(Date.now() / 1000),
      origin: 3,
      ...content,
    }
    this.kfMessages.push(message)
    const session = this.kfSession.get(externalUserId)
    this.kfSession.set(externalUserId, {
      lastCustomerAt: Date.now(),
      sentSince: 0,
      // An ended session (4) becomes "not handled" (0) when the customer writes again.
      state: session?.state === 4 || session === undefined ? 0 : session.state,
      servicer: session?.servicer,
    })
    return message
  }

  /**
   * A servicer writes to the customer from the WeCom client: sync_msg returns it with origin 5; writing
   * in an ended session takes it over (state 3), as WeCom does.
   */
  servicerSays(openKfid: string, externalUserId: string, servicerUserId: string, content: string): void {
    this.sequence += 1
    this.kfMessages.push({
      msgid: `kfmsg-${this.sequence}-${randomBytes(3).toString('hex')}`,
      open_kfid: openKfid,
      external_userid: externalUserId,
      servicer_userid: servicerUserId,
      send_time: Math.floor(Date.now() / 1000),
      origin: 5,
      msgtype: 'text',
      text: { content },
    })
    const session = this.kfSession.get(externalUserId)
    if (session && session.state === 4) Object.assign(session, { state: 3, servicer: servicerUserId })
  }

  /**
   * Posts an encrypted callback to the app like WeCom: signed, timestamped, and tried up to four times
   * while the answer is not a 200. Returns the statuses of each try.
   */
  async callback(
    appUrl: string,
    path: '/wecom/app/callback' | '/wecom/kf/callback',
    inner: Record<string, string | number>,
    tamper: { signature?: string; timestamp?: number; toUserName?: string; body?: string } = {},
  ): Promise<number[]> {
    const timestamp = String(tamper.timestamp ?? Math.floor(Date.now() / 1000))
    const nonce = randomBytes(6).toString('hex')
    const sealed = this.crypto.seal(buildWeComXml(inner), timestamp, nonce)
    const body =
      tamper.body ??
      buildWeComXml({
        ToUserName: tamper.toUserName ?? this.corpId,
        AgentID: this.agentId,
        Encrypt: sealed.ciphertext,
      })
    const query = new URLSearchParams({
      msg_signature: tamper.signature ?? sealed.signature,
      timestamp,
      nonce,
    })
    const statuses: number[] = []
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const response = await fetch(`${appUrl}${path}?${query}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'text/xml' },
        signal: AbortSignal.timeout(5000),
      })
      statuses.push(response.status)
      await response.arrayBuffer()
      // WeCom retries on failures of the network or the server; a 4xx is a final answer about this request.
      if (response.status < 500) break
    }
    return statuses
  }

  /** The kf notice WeCom sends when customer messages are waiting. */
  kfNotice(openKfid: string): Record<string, string | number> {
    return {
      ToUserName: this.corpId,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'event',
      Event: 'kf_msg_or_event',
      Token: `synctoken-${randomBytes(4).toString('hex')}`,
      OpenKfId: openKfid,
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake')
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json) : {}
    const api = url.pathname
    this.calls.push(api)
    const reply = (status: number, json: Json) => {
      this.log.push({ api, at: Date.now(), errcode: status === 200 ? Number(json.errcode ?? 0) : -1 })
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(json))
    }
    if (this.overFrequency(api)) return reply(200, { errcode: 45009, errmsg: 'api freq out of limit' })

    const failure = this.failures.find((f) => (f.api === api || f.api === '*') && f.times > 0)
    if (failure) {
      failure.times -= 1
      if (failure.answer === 'http500') return reply(500, { errcode: -1, errmsg: 'internal error' })
      return reply(200, { errcode: failure.answer, errmsg: 'injected failure' })
    }

    if (api === '/cgi-bin/gettoken') {
      this.gettokenCalls += 1
      if (
        url.searchParams.get('corpid') !== this.corpId ||
        url.searchParams.get('corpsecret') !== this.secret
      ) {
        return reply(200, { errcode: 40001, errmsg: 'invalid credential' })
      }
      const token = `token-${randomBytes(8).toString('hex')}`
      this.tokens.add(token)
      return reply(200, { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 })
    }
    const token = url.searchParams.get('access_token')
    if (!token) return reply(200, { errcode: 41001, errmsg: 'access_token missing' })
    if (!this.tokens.has(token)) return reply(200, { errcode: 42001, errmsg: 'access_token expired' })

    switch (api) {
      case '/cgi-bin/message/send':
        return reply(200, this.sendAppMessage(body))
      case '/cgi-bin/message/update_template_card':
        this.cardUpdates.push(body)
        return reply(200, { errcode: 0, errmsg: 'ok' })
      case '/cgi-bin/kf/sync_msg':
        return reply(200, this.syncMsg(body))
      case '/cgi-bin/kf/send_msg':
        return reply(200, this.kfSend(body))
      case '/cgi-bin/kf/service_state/get': {
        const session = this.kfSession.get(String(body.external_userid))
        return reply(200, {
          errcode: 0,
          errmsg: 'ok',
          service_state: session?.state ?? 0,
          ...(session?.state === 3 ? { servicer_userid: session.servicer ?? '' } : {}),
        })
      }
      case '/cgi-bin/kf/service_state/trans': {
        this.kfTransfers.push(body)
        const session = this.kfSession.get(String(body.external_userid))
        const to = Number(body.service_state)
        // Only these changes are allowed through the API (分配客服会话); others answer 95016.
        const allowed: Record<number, number[]> = { 0: [1, 2, 3], 1: [2, 3, 4], 2: [3, 4], 3: [3, 4], 4: [] }
        if (!(allowed[session?.state ?? 0] ?? []).includes(to))
          return reply(200, { errcode: 95016, errmsg: 'invalid state change' })
        if (session)
          Object.assign(session, { state: to, servicer: to === 3 ? String(body.servicer_userid) : undefined })
        return reply(200, { errcode: 0, errmsg: 'ok', msg_code: 'code' })
      }
      case '/cgi-bin/auth/getuserinfo': {
        // Codes in tests are "code-<userid>"; anything else is WeCom's "invalid code".
        const code = url.searchParams.get('code') ?? ''
        return code.startsWith('code-')
          ? reply(200, { errcode: 0, errmsg: 'ok', userid: code.slice(5) })
          : reply(200, { errcode: 40029, errmsg: 'invalid code' })
      }
      case '/cgi-bin/media/get': {
        // As documented: the file itself with its type and name; an unknown or expired id is 40007.
        const media = this.media.get(url.searchParams.get('media_id') ?? '')
        if (!media) return reply(200, { errcode: 40007, errmsg: 'invalid media_id' })
        this.log.push({ api, at: Date.now(), errcode: 0 })
        res.writeHead(200, {
          'content-type': media.contentType,
          'content-length': String(media.bytes.length),
          'content-disposition': `attachment; filename="${media.fileName}"`,
        })
        res.end(media.bytes)
        return
      }
      case '/cgi-bin/get_jsapi_ticket':
        return reply(200, { errcode: 0, errmsg: 'ok', ticket: FakeWeCom.corpTicket, expires_in: 7200 })
      case '/cgi-bin/ticket/get':
        return reply(200, { errcode: 0, errmsg: 'ok', ticket: FakeWeCom.agentTicket, expires_in: 7200 })
      default:
        return reply(404, { errcode: 404, errmsg: `no such api ${api}` })
    }
  }

  private sendAppMessage(body: Json): Json {
    const touser = String(body.touser ?? '')
    const now = Date.now()
    const recent = (this.memberSends.get(touser) ?? []).filter((at) => at > now - 3600_000)
    const lastMinute = recent.filter((at) => at > now - 60_000).length
    recent.push(now)
    this.memberSends.set(touser, recent)
    // WeCom answers ok and drops what exceeds 30/min or 1000/h for one member.
    if (lastMinute >= 30 || recent.length > 1000) {
      this.droppedByLimit += 1
      return { errcode: 0, errmsg: 'ok', msgid: 'dropped' }
    }
    this.appMessages.push(body)
    return { errcode: 0, errmsg: 'ok', msgid: `msg-${this.appMessages.length}` }
  }

  private syncMsg(body: Json): Json {
    const start = body.cursor ? Number(body.cursor) : 0
    const limit = Math.min(Number(body.limit ?? 1000), 1000)
    const mine = this.kfMessages
      .map((m, index) => ({ m, index }))
      .filter(({ m }) => m.open_kfid === body.open_kfid)
    const page = mine.filter(({ index }) => index >= start).slice(0, limit)
    const next = page.length > 0 ? page[page.length - 1].index + 1 : start
    return {
      errcode: 0,
      errmsg: 'ok',
      next_cursor: String(next),
      has_more: mine.some(({ index }) => index >= next) ? 1 : 0,
      msg_list: page.map(({ m }) => m),
    }
  }

  /** Counts the call against its API's minute; true when WeCom would refuse it. */
  private overFrequency(api: string): boolean {
    if (api === '/cgi-bin/message/send') return false
    const now = Date.now()
    const calls = this.apiCalls.get(api) ?? { times: [], blockedUntil: 0 }
    this.apiCalls.set(api, calls)
    if (now < calls.blockedUntil) return true
    calls.times = calls.times.filter((t) => t > now - this.minuteMs)
    if (calls.times.length >= this.perApiPerMinute) {
      calls.blockedUntil = now + this.blockMs
      return true
    }
    calls.times.push(now)
    return false
  }

  private kfSend(body: Json): Json {
    const session = this.kfSession.get(String(body.touser))
    if (!session || Date.now() - session.lastCustomerAt > 48 * 3600_000 || session.sentSince >= 5) {
      return { errcode: 95001, errmsg: 'send msg count limit' }
    }
    if (session.state === 3) return { errcode: 95018, errmsg: 'send msg session status invalid' }
    session.sentSince += 1
    this.kfSent.push(body)
    return { errcode: 0, errmsg: 'ok', msgid: `kf-${this.kfSent.length}` }
  }
}
