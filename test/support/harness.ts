import { phoneLookupKey } from '../../src/domain/phone-vault'
import type { DataSource } from 'typeorm'
import { DeliveryError, type Channel, type InboundMessage } from '../../src/bot/channel'
import { OutboxDispatcher } from '../../src/bot/outbox'
import { InboundPipeline } from '../../src/bot/pipeline'
import { seedDemo } from '../../src/db/seed-demo'
import type { MediaRef, OutgoingMessage } from '../../src/dialogs/runtime/messages'
import { renderAsText } from '../../src/dialogs/runtime/messages'
import { chineseWorkdayCalendar } from '../../src/domain/chinese-calendar'
import { CaseClock } from '../../src/services/cases/case-clock'
import type { DialogSettings } from '../../src/services/dialog-registry'
import { DEFAULT_SLA_POLICIES, type KnownWorkdayCalendar } from '../../src/domain/sla'
import { STATUTORY_WARRANTY_MONTHS } from '../../src/domain/warranty'
import { createLogger } from '../../src/logger'
import { letterReceipts } from '../../src/db/letter-receipts'
import { testClock } from './clock'

export const silentLogger = createLogger('silent')

/** A channel that records what it delivers and can be told to fail. */
export class RecordingChannel implements Channel {
  readonly delivered: { recipient: string; text: string }[] = []
  failuresLeft = 0
  failPermanently = false

  readonly audience = 'owner' as const

  constructor(readonly name = 'test') {}

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async deliver(recipient: string, message: OutgoingMessage): Promise<void> {
    if (this.failPermanently) throw new DeliveryError('recipient blocked the bot', false)
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1
      throw new DeliveryError('channel unavailable', true)
    }
    this.delivered.push({ recipient, text: renderAsText(message) })
  }

  textsTo(recipient: string): string[] {
    return this.delivered.filter((d) => d.recipient === recipient).map((d) => d.text)
  }
}

export interface BotInstance {
  pipeline: InboundPipeline
  outbox: OutboxDispatcher
  channel: RecordingChannel
}

export function caseClock(calendar: KnownWorkdayCalendar = chineseWorkdayCalendar): CaseClock {
  return new CaseClock({
    policies: DEFAULT_SLA_POLICIES,
    calendar,
    businessHours: { openMinute: 540, closeMinute: 1050 },
    surveyDelayMinutes: 120,
  })
}

export function dialogSettings(calendar?: KnownWorkdayCalendar): DialogSettings {
  return {
    warrantyPeriods: STATUTORY_WARRANTY_MONTHS,
    clock: caseClock(calendar),
    groupWarning: { households: 3, windowHours: 48 },
  }
}

export function botInstance(
  dataSource: DataSource,
  options: { channel?: RecordingChannel; calendar?: KnownWorkdayCalendar; clock?: () => Date } = {},
): BotInstance {
  const channel = options.channel ?? new RecordingChannel()
  const outbox = new OutboxDispatcher(dataSource, new Map([[channel.name, channel]]), silentLogger, {
    maxAttempts: 3,
    receipts: letterReceipts,
  })
  const pipeline = new InboundPipeline(
    dataSource,
    {
      // Staff write on WeCom's app channel, whose module these tests do not start.
      audienceOf: (name) => (name === 'wecom-app' ? 'staff' : 'owner'),
      idleMinutes: 30,
      handOffIdleMinutes: 240,
      maxTries: 3,
      maxChars: 2000,
      dialogs: dialogSettings(options.calendar),
    },
    silentLogger,
    () => undefined,
    options.clock ?? testClock,
  )
  return { pipeline, outbox, channel }
}

/** Seeds the demo project and binds `externalId` on the test channel to the owner with `phone`. */
export async function seedAndBind(dataSource: DataSource, bindings: Record<string, string>): Promise<void> {
  await seedDemo(dataSource, 'demo-owner', testClock())
  for (const [externalId, phone] of Object.entries(bindings)) {
    await dataSource.query(
      `INSERT INTO channel_identity (channel, external_id, owner_id) SELECT 'test', $1, id FROM owner WHERE phone_key = $2`,
      [externalId, phoneLookupKey(phone)],
    )
  }
}

let sequence = 0
export function message(
  senderId: string,
  text: string | null,
  messageId?: string,
  media?: MediaRef,
): InboundMessage {
  sequence += 1
  return {
    channel: 'test',
    messageId: messageId ?? `m-${Date.now()}-${sequence}`,
    senderId,
    text,
    receivedAt: testClock(),
    ...(media ? { media } : {}),
  }
}

/** Sends the lines one after another as `senderId`, delivers the replies, and returns them as one text. */
export async function say(bot: BotInstance, senderId: string, ...lines: string[]): Promise<string> {
  const before = bot.channel.textsTo(senderId).length
  for (const line of lines) await bot.pipeline.receive(message(senderId, line))
  await bot.outbox.settle()
  return bot.channel.textsTo(senderId).slice(before).join('\n---\n')
}
