import type { DataSource, EntityManager } from 'typeorm'
import { renderAsText, type OutgoingMessage } from '../../dialogs/runtime/messages'
import type { Logger } from '../../logger'
import { DeliveryError, type AcceptResult, type Channel, type InboundMessage } from '../../bot/channel'
import { WeComError, type WeComApi } from './api-client'
import { truncateBytes } from './app.channel'
import { MediaGone } from '../../services/media/media-fetcher'

/** 微信客服 rules: replies only within 48 h of the customer's last message, and at most 5 of them. */
export const KF_WINDOW = { hours: 48, messages: 5 }
const KF_QUOTA_USED = 95001
const KF_SESSION_INVALID = 95018
/** media/get: the media_id is unknown or expired (they live three days). */
const INVALID_MEDIA_ID = 40007
const MENU_LIMIT = 10

/** A kf recipient is the kf account and the customer: replies must name both. */
export const kfRecipient = (openKfid: string, externalUserId: string) => `${openKfid}|${externalUserId}`

/** A message a servicer sent the owner from the WeCom client. */
export interface ServicerMessage {
  /** The owner's address on this channel (`kfRecipient`). */
  ownerAddress: string
  staffAccount: string
  text: string
  at: Date
}

/** How the transcript shows what a servicer sent that is not text. */
const SERVICER_MEDIA_LABELS: Record<string, string> = {
  image: '[图片]',
  voice: '[语音]',
  video: '[视频]',
  file: '[文件]',
  location: '[位置]',
  link: '[链接]',
  miniprogram: '[小程序]',
}

interface KfMessage {
  msgid: string
  open_kfid: string
  external_userid: string
  send_time: number
  origin: number
  /** The servicer, on messages they sent from the WeCom client (origin 5). */
  servicer_userid?: string
  msgtype: string
  text?: { content: string; menu_id?: string }
  image?: { media_id: string }
  voice?: { media_id: string }
  video?: { media_id: string }
  file?: { media_id: string }
  location?: { latitude: number; longitude: number; name?: string; address?: string }
}

/** sync_msg message types that carry a temporary media_id (valid for three days). */
const MEDIA_TYPES = ['image', 'voice', 'video', 'file'] as const

/**
 * Owners on WeChat through 微信客服. Inbound: the callback only says "something arrived"; sync_msg pulls
 * it with a cursor kept in Postgres, one puller per kf account across instances (row lock, SKIP LOCKED).
 * Outbound: menus become msgmenu messages whose clicks come back as the option id; a message the kf rules
 * do not allow now (window closed, 5 replies used, a person is serving) is held for the owner's next
 * message instead of being lost.
 */
export class WeComKfChannel implements Channel {
  readonly name = 'wecom-kf'
  readonly audience = 'owner' as const

  constructor(
    private readonly api: WeComApi,
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
  ) {}

  /** media/get for a sync_msg media_id (valid three days); 40007 means WeCom no longer has it. */
  async fetchMedia(ref: string, maxBytes: number): Promise<Buffer> {
    const mediaId = ref.replace(/^wecom-media:/, '')
    try {
      return (await this.api.download('/cgi-bin/media/get', { media_id: mediaId }, maxBytes)).bytes
    } catch (error) {
      if (error instanceof WeComError && error.errcode === INVALID_MEDIA_ID)
        throw new MediaGone(error.message)
      throw error
    }
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** Replies go through send_msg, paced by WeCom's per-API limits (a broadcast can take an hour). */
  capacity(wanted: number): Promise<number> {
    return this.api.reserve('/cgi-bin/kf/send_msg', wanted)
  }

  async deliver(recipient: string, message: OutgoingMessage): Promise<void> {
    const [openKfid, externalUserId] = recipient.split('|')
    if (!openKfid || !externalUserId) throw new DeliveryError(`not a kf recipient: ${recipient}`, false)
    try {
      if (message.kind === 'handoff') {
        await this.api.post('/cgi-bin/kf/service_state/trans', {
          open_kfid: openKfid,
          external_userid: externalUserId,
          service_state: 3,
          servicer_userid: message.servicerUserId,
        })
        return
      }
      if (message.kind === 'handback') {
        await this.endServicerSession(openKfid, externalUserId)
        return
      }
      if (message.kind === 'card-update') return
      await this.checkWindow(recipient)
      await this.api.post('/cgi-bin/kf/send_msg', {
        touser: externalUserId,
        open_kfid: openKfid,
        ...this.body(message),
      })
    } catch (error) {
      if (!(error instanceof WeComError)) throw error
      if (error.errcode === KF_QUOTA_USED) throw new DeliveryError(error.message, false, 'KF_QUOTA_USED')
      if (error.errcode === KF_SESSION_INVALID)
        throw new DeliveryError(error.message, false, 'KF_SESSION_WITH_SERVICER')
      throw new DeliveryError(error.message, error.retryable, null, error.retryAfterSeconds)
    }
  }

  /**
   * Staff gave the owner back to the bot: a session a servicer holds (state 3) is ended (4), because
   * WeCom refuses our send_msg while a person serves it (95018); the owner's next message opens a new
   * session we may answer. A session not with a servicer has nothing to end.
   */
  private async endServicerSession(openKfid: string, externalUserId: string): Promise<void> {
    const state = await this.api.post<{ service_state: number }>('/cgi-bin/kf/service_state/get', {
      open_kfid: openKfid,
      external_userid: externalUserId,
    })
    if (state.service_state !== 3) return
    await this.api.post('/cgi-bin/kf/service_state/trans', {
      open_kfid: openKfid,
      external_userid: externalUserId,
      service_state: 4,
    })
  }

  private body(message: Exclude<OutgoingMessage, { kind: 'handoff' | 'handback' | 'card-update' }>) {
    if (message.kind === 'menu' && message.options.length <= MENU_LIMIT) {
      return {
        msgtype: 'msgmenu',
        msgmenu: {
          head_content: truncateBytes(message.text, 1024),
          list: message.options.map((option) => ({
            type: 'click',
            click: { id: option.id, content: truncateBytes(`${option.id}. ${option.label}`, 128) },
          })),
          ...(message.footer ? { tail_content: truncateBytes(message.footer, 1024) } : {}),
        },
      }
    }
    return { msgtype: 'text', text: { content: truncateBytes(renderAsText(message), 2048) } }
  }

  /** Counted locally from what the owner sent and what we sent since, so all instances agree. */
  private async checkWindow(recipient: string): Promise<void> {
    const [state] = await this.dataSource.query(
      `SELECT c.last_inbound_at > now() - make_interval(hours => $3) AS open,
              (SELECT count(*)::int FROM outbox o
                WHERE o.channel = $1 AND o.recipient = $2 AND o.status = 'sent' AND o.sent_at >= c.last_inbound_at
                  AND o.payload->>'kind' IN ('text', 'menu') AND NOT o.payload ? 'sentElsewhere') AS sent
         FROM conversation c WHERE c.channel = $1 AND c.external_id = $2`,
      [this.name, recipient, KF_WINDOW.hours],
    )
    if (!state?.open) throw new DeliveryError('kf window closed', false, 'KF_WINDOW_CLOSED')
    if (state.sent >= KF_WINDOW.messages)
      throw new DeliveryError('kf replies used up', false, 'KF_QUOTA_USED')
  }

  /**
   * Pulls everything new for one kf account and hands each customer message to `accept`. Returns what
   * was accepted; concurrent calls for the same account return at once (another puller holds it).
   */
  async sync(
    openKfid: string,
    token: string | null,
    accept: (message: InboundMessage) => Promise<AcceptResult>,
    /** A servicer's message (origin 5), recorded in the pull's transaction so the cursor and it commit together. */
    servicerSaid: (manager: EntityManager, message: ServicerMessage) => Promise<void> = async () => undefined,
  ): Promise<{ pulled: number; accepted: number; skipped: boolean }> {
    // Committed on its own first, so that a concurrent puller finds a row to skip rather than wait on.
    await this.dataSource.query(`INSERT INTO kf_cursor (open_kfid) VALUES ($1) ON CONFLICT DO NOTHING`, [
      openKfid,
    ])
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query(
        `SELECT cursor FROM kf_cursor WHERE open_kfid = $1 FOR UPDATE SKIP LOCKED`,
        [openKfid],
      )
      if (!row) return { pulled: 0, accepted: 0, skipped: true }
      let cursor: string | null = row.cursor
      let pulled = 0
      let accepted = 0
      for (let page = 0; page < 100; page += 1) {
        const answer = await this.api.post<{ next_cursor: string; has_more: number; msg_list: KfMessage[] }>(
          '/cgi-bin/kf/sync_msg',
          { open_kfid: openKfid, limit: 1000, ...(cursor ? { cursor } : {}), ...(token ? { token } : {}) },
        )
        for (const item of answer.msg_list ?? []) {
          pulled += 1
          const inbound = this.toInbound(item)
          if (inbound && (await accept(inbound)) === 'accepted') accepted += 1
          const servicer = this.toServicerMessage(item)
          if (servicer) await servicerSaid(manager, servicer)
        }
        cursor = answer.next_cursor || cursor
        await manager.query(`UPDATE kf_cursor SET cursor = $2, updated_at = now() WHERE open_kfid = $1`, [
          openKfid,
          cursor,
        ])
        if (!answer.has_more) break
      }
      this.logger.debug({ openKfid, pulled, accepted }, 'kf sync')
      return { pulled, accepted, skipped: false }
    })
  }

  /**
   * What a servicer wrote from the WeCom client (origin 5). Our own send_msg messages never come back
   * through sync_msg, so everything here was written by a person outside Anju.
   */
  private toServicerMessage(item: KfMessage): ServicerMessage | null {
    if (item.origin !== 5 || !item.external_userid || !item.servicer_userid) return null
    const text =
      item.msgtype === 'text'
        ? (item.text?.content ?? '')
        : (SERVICER_MEDIA_LABELS[item.msgtype] ?? `[${item.msgtype}]`)
    return {
      ownerAddress: kfRecipient(item.open_kfid, item.external_userid),
      staffAccount: item.servicer_userid,
      text,
      at: new Date(item.send_time * 1000),
    }
  }

  /** Customer messages (origin 3) only: our own replies and system events are not owner input. */
  private toInbound(item: KfMessage): InboundMessage | null {
    if (item.origin !== 3 || !item.external_userid) return null
    const base = {
      channel: this.name,
      messageId: item.msgid,
      senderId: kfRecipient(item.open_kfid, item.external_userid),
      receivedAt: new Date(item.send_time * 1000),
    }
    // A menu click arrives as text carrying the clicked option's id: that id is the answer.
    if (item.msgtype === 'text') return { ...base, text: item.text?.menu_id || item.text?.content || '' }
    const kind = MEDIA_TYPES.find((type) => type === item.msgtype)
    const mediaId = kind ? item[kind]?.media_id : undefined
    if (kind && mediaId) return { ...base, text: null, media: { kind, ref: `wecom-media:${mediaId}` } }
    if (item.msgtype === 'location' && item.location) {
      const { latitude, longitude, name, address } = item.location
      const place = [name, address].filter(Boolean).join(' ')
      return {
        ...base,
        text: null,
        media: { kind: 'location', ref: `geo:${latitude},${longitude}${place ? `;${place}` : ''}` },
      }
    }
    // Links, cards, mini programs: nothing the bot can read; the owner is told so.
    return { ...base, text: null }
  }
}
