import Router from '@koa/router'
import type { Context } from 'koa'
import getRawBody from 'raw-body'
import { ApiError } from '../../admin/middleware/error-handler'
import type { Logger } from '../../logger'
import type { AcceptResult, InboundMessage } from '../../bot/channel'
import { CallbackCrypto, CallbackRejected } from './callback-crypto'
import { parseWeComXml } from './xml'

/** WeCom's bodies are a few hundred bytes; anything near this is not WeCom. */
const BODY_LIMIT = '64kb'

export interface CallbackSettings {
  corpId: string
  /** Reject callbacks whose timestamp is further than this from now (replays). */
  maxAgeSeconds: number
}

/** What the routes need from the pipeline. */
export interface CallbackSink {
  /**
   * Stores the message (one commit) and resolves; handling follows in the background, so WeCom gets its
   * 200 at the cost of one commit and never retries a message we already hold.
   */
  receive(message: InboundMessage): Promise<AcceptResult>
  /** A clicked card is marked handled (queued after the click is accepted). */
  cardClicked(userId: string, responseCode: string, label: string): Promise<void>
}

export interface KfSink {
  /** Starts a pull for the kf account; must not wait for it (WeCom wants its answer within 5 s). */
  pullLater(openKfid: string, token: string | null): void
}

type Fields = Record<string, unknown>
const field = (fields: Fields, name: string): string => {
  const value = fields[name]
  return typeof value === 'string' || typeof value === 'number' ? String(value) : ''
}

/**
 * The two encrypted WeCom callbacks: the app (staff messages and card clicks) and 微信客服 (a notice that
 * owner messages are waiting). Each answers with an empty 200 once the message is safely stored, which
 * for a staff message is the commit of its handling (a few milliseconds), or recognised as a retry;
 * with 4xx, changing nothing, when the request is forged, stale, for another corp, malformed or
 * oversized; 503 when it cannot be stored, so WeCom tries again.
 */
export function wecomCallbackRoutes(deps: {
  settings: CallbackSettings
  app: { crypto: CallbackCrypto; sink: CallbackSink } | null
  kf: { crypto: CallbackCrypto; sink: KfSink } | null
  logger: Logger
}): Router {
  const router = new Router()
  const { settings, logger } = deps

  const query = (ctx: Context) => {
    const read = (name: string) => (typeof ctx.query[name] === 'string' ? (ctx.query[name] as string) : '')
    return {
      signature: read('msg_signature'),
      timestamp: read('timestamp'),
      nonce: read('nonce'),
      echostr: read('echostr'),
    }
  }

  const rejected = (error: unknown): never => {
    if (error instanceof CallbackRejected) throw new ApiError(error.status, error.code, error.message)
    throw error
  }

  /** URL verification: sign and decrypt echostr, answer the bare plaintext. */
  const verifyUrl = (crypto: CallbackCrypto) => async (ctx: Context) => {
    const q = query(ctx)
    if (!q.signature || !q.echostr)
      throw new ApiError(400, 'MISSING_PARAMETERS', 'msg_signature and echostr required')
    try {
      crypto.verify(q.signature, q.timestamp, q.nonce, q.echostr)
      ctx.type = 'text/plain'
      ctx.body = crypto.open(q.echostr)
    } catch (error) {
      rejected(error)
    }
  }

  /** Reads, checks and decrypts an encrypted POST; returns the inner message's fields. */
  const openPost = async (ctx: Context, crypto: CallbackCrypto): Promise<Fields> => {
    const q = query(ctx)
    if (!q.signature || !q.timestamp || !q.nonce)
      throw new ApiError(400, 'MISSING_PARAMETERS', 'signature parameters required')
    let body: string
    try {
      body = await getRawBody(ctx.req, { limit: BODY_LIMIT, encoding: 'utf8' })
    } catch (error) {
      const tooLarge = (error as { type?: string }).type === 'entity.too.large'
      throw tooLarge
        ? new ApiError(413, 'BODY_TOO_LARGE', 'body exceeds 64 KB')
        : new ApiError(400, 'BAD_BODY', 'unreadable body')
    }
    const envelope = parseWeComXml(body)
    const ciphertext = envelope ? field(envelope, 'Encrypt') : ''
    if (!envelope || !ciphertext) throw new ApiError(400, 'BAD_XML', 'not a WeCom envelope')
    const to = field(envelope, 'ToUserName')
    if (to && to !== settings.corpId) throw new ApiError(400, 'WRONG_RECEIVER', 'message is for another corp')
    try {
      crypto.verify(q.signature, q.timestamp, q.nonce, ciphertext)
      const age = Math.abs(Date.now() / 1000 - Number(q.timestamp))
      if (!Number.isFinite(age) || age > settings.maxAgeSeconds) {
        throw new CallbackRejected(400, 'STALE_TIMESTAMP', 'timestamp outside the accepted window')
      }
      const inner = parseWeComXml(crypto.open(ciphertext))
      if (!inner) throw new CallbackRejected(400, 'BAD_XML', 'decrypted message is not XML')
      return inner
    } catch (error) {
      return rejected(error)
    }
  }

  if (deps.app) {
    const { crypto, sink } = deps.app
    router.get('/wecom/app/callback', verifyUrl(crypto))
    router.post('/wecom/app/callback', async (ctx) => {
      const fields = await openPost(ctx, crypto)
      const message = appMessage(fields)
      if (message) {
        let accepted: AcceptResult
        try {
          accepted = await sink.receive(message.inbound)
        } catch (error) {
          logger.error({ err: error }, 'wecom app callback not stored; WeCom will retry')
          throw new ApiError(503, 'NOT_STORED', 'try again')
        }
        if (accepted === 'accepted' && message.card)
          await sink.cardClicked(message.inbound.senderId, message.card.responseCode, message.card.label)
      }
      ctx.status = 200
      ctx.body = ''
    })
  }

  if (deps.kf) {
    const { crypto, sink } = deps.kf
    router.get('/wecom/kf/callback', verifyUrl(crypto))
    router.post('/wecom/kf/callback', async (ctx) => {
      const fields = await openPost(ctx, crypto)
      if (field(fields, 'Event') === 'kf_msg_or_event') {
        sink.pullLater(field(fields, 'OpenKfId'), field(fields, 'Token') || null)
      }
      ctx.status = 200
      ctx.body = ''
    })
  }
  return router
}

const CARD_ACTIONS: Record<string, { command: string; label: string }> = {
  accept: { command: '接单', label: '已接单' },
  handback: { command: '退回', label: '已退回主管' },
}

/** A staff member's message or card click, as the pipeline's input; null for events we do not use. */
function appMessage(
  fields: Fields,
): { inbound: InboundMessage; card?: { responseCode: string; label: string } } | null {
  const from = field(fields, 'FromUserName')
  const created = field(fields, 'CreateTime')
  const receivedAt = new Date(Number(created) * 1000 || Date.now())
  const base = { channel: 'wecom-app', senderId: from, receivedAt }
  const type = field(fields, 'MsgType')
  if (!from) return null
  if (type === 'text')
    return { inbound: { ...base, messageId: field(fields, 'MsgId'), text: field(fields, 'Content') } }
  if (type === 'event' && field(fields, 'Event') === 'template_card_event') {
    const [action, caseNo] = field(fields, 'EventKey').split(':')
    const known = CARD_ACTIONS[action]
    if (!known || !caseNo) return null
    // Events have no MsgId: sender + time + key + task identify a click (WeCom's advice for events).
    const messageId = `card:${from}:${created}:${field(fields, 'EventKey')}:${field(fields, 'TaskId')}`
    return {
      inbound: { ...base, messageId, text: `${known.command} ${caseNo}` },
      card: { responseCode: field(fields, 'ResponseCode'), label: known.label },
    }
  }
  if (field(fields, 'MsgId')) {
    return { inbound: { ...base, messageId: field(fields, 'MsgId'), text: null } }
  }
  return null
}
