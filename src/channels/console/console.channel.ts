import { randomUUID } from 'node:crypto'
import readline from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import { renderAsText, type OutgoingMessage } from '../../dialogs/runtime/messages'
import type { Channel, InboundSink } from '../../bot/channel'

/**
 * Chat in a terminal as one owner: each stdin line is a message from `externalId`, each reply is printed.
 * Lines are accepted one after another so that they keep the order in which they were typed.
 */
export class ConsoleChannel implements Channel {
  readonly name = 'console'
  readonly audience = 'owner' as const
  private readonly session = randomUUID()
  private sequence = 0
  private reader: readline.Interface | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private readonly ended: Promise<void>
  private markEnded: () => void = () => undefined

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
    private readonly externalId: string,
  ) {
    this.ended = new Promise((resolve) => (this.markEnded = resolve))
  }

  async start(sink: InboundSink): Promise<void> {
    this.reader = readline.createInterface({ input: this.input, crlfDelay: Infinity, terminal: false })
    this.reader.on('line', (line) => {
      const message = {
        channel: this.name,
        messageId: `${this.session}:${(this.sequence += 1)}`,
        senderId: this.externalId,
        text: line,
        receivedAt: new Date(),
      }
      this.queue = this.queue.then(() => sink(message)).catch(() => undefined)
    })
    this.reader.on('close', () => void this.queue.then(() => this.markEnded()))
  }

  /** Resolves when stdin has ended and every line read has been handled. */
  whenInputEnds(): Promise<void> {
    return this.ended
  }

  async stop(): Promise<void> {
    this.reader?.close()
    await this.queue
  }

  async deliver(recipient: string, message: OutgoingMessage): Promise<void> {
    const rendered = renderAsText(message)
    if (rendered === '') return // channel actions (card updates, hand-offs) have nothing to print
    // Replies to another console identity (an earlier run with another CONSOLE_EXTERNAL_ID) are labelled.
    const to = recipient === this.externalId ? '' : `（致 ${recipient}）`
    await new Promise<void>((resolve, reject) =>
      this.output.write(`安居${to}：${rendered}\n\n`, (error) => (error ? reject(error) : resolve())),
    )
  }
}
