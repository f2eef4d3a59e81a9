import { types, type Message, type Wechaty } from 'wechaty'
import type { MediaRef, OutgoingMessage } from '../../dialogs/runtime/messages'
import { renderAsText } from '../../dialogs/runtime/messages'
import type { Logger } from '../../logger'
import { DeliveryError, type Channel, type InboundSink } from '../../bot/channel'
import { MediaGone } from '../../services/media/media-fetcher'

const MEDIA_KINDS: Partial<Record<types.Message, MediaRef['kind']>> = {
  [types.Message.Image]: 'image',
  [types.Message.Audio]: 'voice',
  [types.Message.Video]: 'video',
  [types.Message.Attachment]: 'file',
  [types.Message.Location]: 'location',
}

/**
 * WeChat through Wechaty (any puppet). Owners write one-to-one; group chats, the bot's own messages and
 * messages before login are ignored. Replies go out as text (menus numbered), the same dialogs as every
 * other channel.
 */
export class WechatyChannel implements Channel {
  readonly name = 'wechat'
  readonly audience = 'owner' as const

  constructor(
    private readonly bot: Wechaty,
    private readonly logger: Logger,
  ) {}

  async start(sink: InboundSink): Promise<void> {
    this.bot.on('message', (message: Message) => {
      void this.accept(message, sink).catch((error: unknown) =>
        // The sink failed to store it (database down): the puppet will not redeliver, so say so loudly.
        this.logger.error({ err: error, messageId: message.id }, 'wechaty message not accepted'),
      )
    })
    this.bot.on('error', (error: unknown) => this.logger.warn({ err: error }, 'wechaty error'))
    this.bot.on('login', (user: { id: string }) => this.logger.info({ user: user.id }, 'wechaty logged in'))
    // start() resolves once the puppet runs; login comes later (a QR scan, a token service, the mock).
    await this.bot.start()
  }

  private async accept(message: Message, sink: InboundSink): Promise<void> {
    if (message.self() || message.room()) return
    const type = message.type()
    const kind = MEDIA_KINDS[type]
    await sink({
      channel: this.name,
      messageId: message.id,
      senderId: message.talker().id,
      text: type === types.Message.Text ? message.text() : null,
      ...(kind ? { media: { kind, ref: `wechaty:${message.id}` } } : {}),
      receivedAt: message.date(),
    })
  }

  async stop(): Promise<void> {
    await this.bot.stop()
  }

  /** The message's file through the puppet (a FileBox); gone once the puppet no longer knows the message. */
  async fetchMedia(ref: string, maxBytes: number): Promise<Buffer> {
    const message = await this.bot.Message.find({ id: ref.replace(/^wechaty:/, '') })
    if (!message) throw new MediaGone(`wechaty no longer has message ${ref}`)
    const bytes = await (await message.toFileBox()).toBuffer()
    if (bytes.length > maxBytes) throw new MediaGone(`file of ${bytes.length} bytes is over the limit`)
    return bytes
  }

  async deliver(recipient: string, message: OutgoingMessage): Promise<void> {
    const rendered = renderAsText(message)
    if (rendered === '') return // channel actions (card updates, hand-offs) mean nothing on personal WeChat
    if (!this.bot.isLoggedIn) throw new DeliveryError('wechaty is not logged in', true)
    const contact = await this.bot.Contact.find({ id: recipient })
    if (!contact) throw new DeliveryError(`no WeChat contact ${recipient}`, false)
    await contact.say(rendered)
  }
}
