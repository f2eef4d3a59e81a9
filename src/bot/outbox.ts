import type { DataSource, EntityManager } from 'typeorm'
import type { OutgoingMessage } from '../dialogs/runtime/messages'
import type { Logger } from '../logger'
import { queryRows } from '../db/sql'
import { DeliveryError, type Channel } from './channel'

/** Writes replies into the outbox inside the caller's transaction: they commit with the turn or not at all. */
export async function enqueueOutgoing(
  manager: EntityManager,
  conversation: { id: number; channel: string; external_id: string },
  inboundId: string | null,
  messages: OutgoingMessage[],
): Promise<void> {
  if (messages.length === 0) return
  await manager.query(
    `INSERT INTO outbox (channel, recipient, conversation_id, inbound_id, payload)
     SELECT $1, $2, $3, $4, payload FROM jsonb_array_elements($5::jsonb) WITH ORDINALITY AS m(payload, n)
     ORDER BY n`,
    [conversation.channel, conversation.external_id, conversation.id, inboundId, JSON.stringify(messages)],
  )
}

interface ClaimedRow {
  id: string
  channel: string
  recipient: string
  payload: OutgoingMessage
  attempts: number
}

/**
 * Whoever keeps a record of what happened to some messages (the letters service: each recipient's
 * delivery record) extends the statement that settles a row, so that row and record never disagree.
 * The statement uses $1 for the row id; $2 is the outcome for the record ('delivered', 'held',
 * 'failed', or null for no change) and $3 the reason.
 */
export interface OutboxReceipts {
  settle(outboxUpdate: string): string
}

/** Nobody to tell: the outcome parameters stay part of the statement, unused. */
const NO_RECEIPTS: OutboxReceipts = {
  settle: (update) =>
    `WITH settled AS (${update} RETURNING id) SELECT $2::text AS outcome, $3::text AS reason FROM settled`,
}

export interface HeldMessage {
  id: string
  channel: string
  recipient: string
  payload: OutgoingMessage
  reason: string
}

export interface OutboxOptions {
  maxAttempts: number
  /** Told when a message is held for the owner's next message (the app gives the ambassador a task). */
  onHeld?: (held: HeldMessage) => Promise<void>
  /** Records that follow the messages' outcomes (letters' delivery records). */
  receipts?: OutboxReceipts
  batchSize?: number
  /** How long a claimed row is ours before another instance may take it over (a crashed sender). */
  leaseSeconds?: number
}

/**
 * Delivers outbox rows after commit. Rows are claimed with SKIP LOCKED, one per recipient at a time so that
 * an owner reads replies in order; failures back off exponentially and end as 'dead' after maxAttempts.
 * Delivery is at-least-once: a sender that dies after sending but before marking may send a row again.
 */
export class OutboxDispatcher {
  private pumping: Promise<void> | null = null
  /** Delivery outcomes that could not be written yet (database away), by outbox id. */
  private readonly unsettled = new Map<string, () => Promise<void>>()
  private again = false
  private stopped = false

  constructor(
    private readonly dataSource: DataSource,
    private readonly channels: ReadonlyMap<string, Channel>,
    private readonly logger: Logger,
    private readonly options: OutboxOptions,
  ) {}

  /** Asks for a delivery round soon; calls during a round make it run once more. Never throws. */
  wake(): void {
    if (this.stopped) return
    if (this.pumping) {
      this.again = true
      return
    }
    this.pumping = this.pumpUntilQuiet().finally(() => {
      this.pumping = null
    })
  }

  /** Delivers everything that is due now, then resolves (used at shutdown and in tests). */
  async settle(): Promise<void> {
    while (this.pumping) await this.pumping
    // Registered as the round in progress, so a wake() meanwhile extends this round instead of starting a
    // second one beside it (which could still hold a row when settle() returns).
    const round = this.pumpUntilQuiet().finally(() => {
      this.pumping = null
    })
    this.pumping = round
    await round
  }

  stop(): Promise<void> {
    this.stopped = true
    return this.pumping ?? Promise.resolve()
  }

  private async pumpUntilQuiet(): Promise<void> {
    try {
      do {
        this.again = false
        await this.flushUnsettled()
        while (!this.stopped && (await this.deliverBatch()) > 0) {
          // keep going while rows are due
        }
      } while (this.again && !this.stopped)
    } catch (error) {
      this.logger.error({ err: error }, 'outbox round failed; the periodic sweep will retry')
    }
  }

  /** Claims and delivers one batch; returns how many rows it handled. */
  async deliverBatch(): Promise<number> {
    const batchSize = this.options.batchSize ?? 50
    // A rate-limited channel says how many it may send; its other messages stay as they are.
    const allowances = await Promise.all(
      [...this.channels].map(async ([name, channel]) => ({
        name,
        count: channel.capacity ? await channel.capacity(batchSize) : batchSize,
      })),
    )
    const open = allowances.filter((allowance) => allowance.count > 0)
    if (open.length === 0) return 0
    const claimed = await queryRows<ClaimedRow>(
      this.dataSource,
      `WITH due AS (
         SELECT o.id
           FROM unnest($1::text[], $2::int[]) AS allowance(channel, count)
           CROSS JOIN LATERAL (
             SELECT o.id FROM outbox o
              WHERE o.status IN ('pending', 'sending') AND o.next_attempt_at <= now() AND o.channel = allowance.channel
                AND NOT EXISTS (SELECT 1 FROM outbox e
                                 WHERE e.channel = o.channel AND e.recipient = o.recipient AND e.id < o.id
                                   AND e.status IN ('pending', 'sending'))
              ORDER BY o.id LIMIT allowance.count
              FOR UPDATE SKIP LOCKED) o)
       UPDATE outbox SET status = 'sending', attempts = outbox.attempts + 1,
              next_attempt_at = now() + make_interval(secs => $3)
         FROM due WHERE outbox.id = due.id
       RETURNING outbox.id, outbox.channel, outbox.recipient, outbox.payload, outbox.attempts`,
      [
        open.map((allowance) => allowance.name),
        open.map((allowance) => allowance.count),
        this.options.leaseSeconds ?? 60,
      ],
    )
    await Promise.all(claimed.map((row) => this.deliverOne(row)))
    return claimed.length
  }

  private async deliverOne(row: ClaimedRow): Promise<void> {
    const channel = this.channels.get(row.channel) as Channel
    let outcome: () => Promise<void>
    try {
      await channel.deliver(row.recipient, row.payload)
      outcome = () => this.markSent(row)
    } catch (error) {
      outcome = () => this.markFailed(row, error)
    }
    try {
      await outcome()
    } catch (error) {
      // The database is away: keep the outcome in memory and write it first thing next round, so the row
      // is neither sent twice after its lease nor left waiting for the lease at all.
      this.unsettled.set(row.id, outcome)
      this.logger.error({ err: error, outboxId: row.id }, 'delivery outcome not recorded yet')
    }
  }

  private async flushUnsettled(): Promise<void> {
    for (const [id, outcome] of this.unsettled) {
      await outcome()
      this.unsettled.delete(id)
    }
  }

  private settling(outboxUpdate: string): string {
    return (this.options.receipts ?? NO_RECEIPTS).settle(outboxUpdate)
  }

  private async markSent(row: ClaimedRow): Promise<void> {
    await this.dataSource.query(
      this.settling(
        `UPDATE outbox SET status = 'sent', sent_at = now(), last_error = NULL WHERE id = $1 AND status = 'sending'`,
      ),
      [row.id, 'delivered', null],
    )
  }

  private async markFailed(row: ClaimedRow, error: unknown): Promise<void> {
    if (error instanceof DeliveryError && error.hold) {
      await this.dataSource.query(
        this.settling(
          `UPDATE outbox SET status = 'held', hold_reason = $3, attempts = attempts - 1
            WHERE id = $1 AND status = 'sending'`,
        ),
        [row.id, 'held', error.hold],
      )
      this.logger.info({ outboxId: row.id, reason: error.hold }, 'message held until the owner writes again')
      await this.options.onHeld?.({ ...row, reason: error.hold })
      return
    }
    const retryable = !(error instanceof DeliveryError) || error.retryable
    const delay =
      error instanceof DeliveryError && error.retryAfterSeconds !== null ? error.retryAfterSeconds : null
    // Waiting for a rate limit is not a failed attempt: a long broadcast must not wear messages out.
    const deferred = retryable && delay !== null
    const dead = !retryable || (!deferred && row.attempts >= this.options.maxAttempts)
    this.logger.warn({ err: error, outboxId: row.id, attempts: row.attempts, dead }, 'delivery failed')
    // Backoff: 2, 4, 8 … seconds, capped at five minutes, unless the channel knows better.
    // A dead message marks its record failed; a retry leaves the record as it was.
    await this.dataSource.query(
      this.settling(
        `UPDATE outbox SET status = $6, last_error = $4, attempts = attempts - $7,
                next_attempt_at = now() + make_interval(secs => COALESCE($5, least(300, power(2, attempts))))
          WHERE id = $1 AND status = 'sending'`,
      ),
      [
        row.id,
        dead ? 'failed' : null,
        dead ? String(error).slice(0, 200) : null,
        String(error).slice(0, 2000),
        delay,
        dead ? 'dead' : 'pending',
        deferred ? 1 : 0,
      ],
    )
  }
}
