import type { DataSource } from 'typeorm'
import { renderAsText, type OutgoingMessage } from '../../dialogs/runtime/messages'
import { DeliveryError, type Channel } from '../../bot/channel'
import { WeComError, type WeComApi } from './api-client'

/** WeCom drops (silently) more than 30 messages a minute or 1,000 an hour from one app to one member. */
export const APP_MESSAGE_LIMITS = { perMinute: 30, perHour: 1000 }
const TEXT_LIMIT_BYTES = 2048
/** WeCom's "all recipients invalid": the member left or was never in the app's visible range. */
const ALL_RECIPIENTS_INVALID = 81013

export function truncateBytes(value: string, limit: number): string {
  if (Buffer.byteLength(value) <= limit) return value
  let out = ''
  for (const char of value) {
    if (Buffer.byteLength(out + char + '…') > limit) break
    out += char
  }
  return `${out}…`
}

/**
 * Messages to staff through the WeCom self-built app (message/send): text, and template cards with
 * buttons for new cases. Inbound staff messages arrive through the app callback route. The per-member
 * limits are counted in Postgres over what was actually sent, so all instances share them.
 */
export class WeComAppChannel implements Channel {
  readonly name = 'wecom-app'
  readonly audience = 'staff' as const

  constructor(
    private readonly api: WeComApi,
    private readonly agentId: number,
    private readonly dataSource: DataSource,
  ) {}

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async deliver(recipient: string, message: OutgoingMessage): Promise<void> {
    if (message.kind === 'handoff' || message.kind === 'handback') return
    if (message.kind !== 'card-update') await this.checkRateLimit(recipient)
    try {
      const api =
        message.kind === 'card-update' ? '/cgi-bin/message/update_template_card' : '/cgi-bin/message/send'
      await this.api.post(api, this.request(recipient, message))
    } catch (error) {
      if (!(error instanceof WeComError)) throw error
      throw new DeliveryError(
        error.message,
        error.retryable && error.errcode !== ALL_RECIPIENTS_INVALID,
        null,
        error.retryAfterSeconds,
      )
    }
  }

  private request(recipient: string, message: Exclude<OutgoingMessage, { kind: 'handoff' | 'handback' }>) {
    switch (message.kind) {
      case 'card':
        return {
          touser: recipient,
          msgtype: 'template_card',
          agentid: this.agentId,
          template_card: {
            card_type: 'button_interaction',
            main_title: { title: truncateBytes(message.title, 128) },
            sub_title_text: truncateBytes(message.text, 512),
            task_id: message.taskId,
            button_list: message.buttons.map((button, index) => ({
              text: button.label,
              style: index === 0 ? 1 : 2,
              key: button.key,
            })),
          },
          enable_duplicate_check: 1,
        }
      case 'card-update':
        return {
          userids: [recipient],
          agentid: this.agentId,
          response_code: message.responseCode,
          button: { replace_name: message.label },
        }
      default:
        return {
          touser: recipient,
          msgtype: 'text',
          agentid: this.agentId,
          text: { content: truncateBytes(renderAsText(message), TEXT_LIMIT_BYTES) },
        }
    }
  }

  private async checkRateLimit(recipient: string): Promise<void> {
    const [counts] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE sent_at > now() - interval '1 minute')::int AS minute,
              count(*)::int AS hour,
              EXTRACT(EPOCH FROM (min(sent_at) FILTER (WHERE sent_at > now() - interval '1 minute')
                                  + interval '1 minute' - now()))::int AS minute_frees_in,
              EXTRACT(EPOCH FROM (min(sent_at) + interval '1 hour' - now()))::int AS hour_frees_in
         FROM outbox
        WHERE channel = $1 AND recipient = $2 AND status = 'sent' AND sent_at > now() - interval '1 hour'
          AND payload->>'kind' <> 'card-update'`,
      [this.name, recipient],
    )
    if (counts.hour >= APP_MESSAGE_LIMITS.perHour) {
      throw new DeliveryError(
        'per-member hourly limit reached',
        true,
        null,
        Math.max(1, counts.hour_frees_in),
      )
    }
    if (counts.minute >= APP_MESSAGE_LIMITS.perMinute) {
      throw new DeliveryError(
        'per-member minute limit reached',
        true,
        null,
        Math.max(1, counts.minute_frees_in),
      )
    }
  }
}
