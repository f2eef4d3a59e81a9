import { systemClock, type Clock } from '../clock'
import { cleanText } from '../domain/text'
import { turnWithStaff } from '../services/conversations/hand-off'
import type { DataSource, EntityManager } from 'typeorm'
import {
  bindingDeps,
  ownerDialogDeps,
  ownerDialogs,
  type DialogSettings,
  type OwnerDialogDeps,
} from '../services/dialog-registry'
import { preparedTransaction, transactionOnFirstQuery } from '../db/prepared-transaction'
import { preparedRows, queryRows } from '../db/sql'
import { recordMedia } from '../db/media-queries'
import { PgStaffCaseServices } from '../services/cases/staff-case-services'
import { handleStaffCommand } from '../dialogs/staff-commands'
import { copy } from '../copy'
import { converse, converseUnbound, type ConversationState } from '../dialogs/conversation'
import type { OwnerSession } from '../dialogs/ports'
import type { OwnerInput } from '../dialogs/runtime/dialog'
import { text, type OutgoingMessage } from '../dialogs/runtime/messages'
import type { Logger } from '../logger'
import type { AcceptResult, Audience, InboundMessage } from './channel'
import { DrainQueue } from './drain-queue'
import { KnownConversations } from './known-conversations'
import { enqueueOutgoing } from './outbox'
import {
  ACCEPT,
  NEXT_TURN,
  OPEN_TURN,
  OPTIMISTIC_STORED_TURN,
  OPTIMISTIC_TURN,
  PENDING,
  WRITE_TURN,
  type ConversationRow,
  type InboundRow,
  type OpenedTurn,
} from './turn-statements'

export interface PipelineOptions {
  /** Who writes on a channel, by its name: the registered channels say (see src/channels). */
  audienceOf: (channel: string) => Audience
  idleMinutes: number
  /** A conversation with staff returns to the bot after this long without a staff message. */
  handOffIdleMinutes: number
  maxTries: number
  maxChars: number
  dialogs: DialogSettings
  /** After a commit that recorded owners' media: the fetcher keeps them before the channel forgets them. */
  onMedia?: () => void
}

/**
 * Every message is cleaned where it comes in: PostgreSQL text cannot hold U+0000, and escape sequences,
 * bells and backspaces in a description would reach staff terminals and screens. Line breaks are kept.
 */
function cleaned(message: InboundMessage): InboundMessage {
  return {
    ...message,
    messageId: cleanText(message.messageId),
    senderId: cleanText(message.senderId),
    text: message.text === null ? null : cleanText(message.text),
  }
}

/** Stored text is capped so that a hostile body cannot fill the database; the reply still says "too long". */
const STORED_TEXT_LIMIT = 20_000

/** The inbox columns of a message, as both ways of storing it write them. */
function storedFields(message: InboundMessage) {
  return {
    text: message.text?.slice(0, STORED_TEXT_LIMIT) ?? null,
    media: message.media ? JSON.stringify(message.media) : null,
  }
}

/**
 * Messages this process stored without handling them (accept(): a WeCom callback, a 微信客服 pull),
 * by conversation, until its drain: the one message, or 'several' (they are then drained in order
 * under the lock). Bounded: past its capacity (drains that never came, say) nothing more is noted and
 * those conversations are drained under the lock, as before.
 */
class StoredHere {
  private readonly messages = new Map<number, { message: InboundMessage; inboundId: string } | 'several'>()

  constructor(private readonly capacity = 10_000) {}

  note(conversationId: number, stored: { message: InboundMessage; inboundId: string }): void {
    if (this.messages.has(conversationId)) this.messages.set(conversationId, 'several')
    else if (this.messages.size < this.capacity) this.messages.set(conversationId, stored)
  }

  take(conversationId: number): { message: InboundMessage; inboundId: string } | null {
    const stored = this.messages.get(conversationId)
    this.messages.delete(conversationId)
    return stored === undefined || stored === 'several' ? null : stored
  }
}

/** The inbox's unique key on (channel, message_id): a message seen before. */
function isRepeatedMessage(error: unknown): boolean {
  const { code, constraint } = error as { code?: string; constraint?: string }
  return code === '23505' && constraint === 'inbound_message_channel_message_id_key'
}

/** $1–$6 of ACCEPT and OPEN_TURN. */
function inboxParameters(message: InboundMessage): unknown[] {
  const stored = storedFields(message)
  return [message.channel, message.senderId, message.messageId, stored.text, message.receivedAt, stored.media]
}

/**
 * Inbound messages, one transaction each: the inbox row (dedupe on the channel's message id), the
 * dialog state, the effects and the replies (outbox) commit together. A known owner's turn is tried
 * optimistically first (optimisticTurn); otherwise, or when that finds the conversation changed, it runs
 * under a row lock on the conversation. Messages stored on their own first (a failed turn, a 微信客服
 * pull) are handled in arrival order.
 */
export class InboundPipeline {
  private readonly inFlight = new Set<Promise<unknown>>()
  private readonly known = new KnownConversations()
  private readonly storedHere = new StoredHere()

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: PipelineOptions,
    private readonly logger: Logger,
    private readonly onRepliesQueued: () => void,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The sink channels call: resolves after the message is stored and handled (or safely left pending). */
  receive = async (message: InboundMessage): Promise<AcceptResult> => {
    const work = this.acceptAndHandle(message)
    this.inFlight.add(work)
    try {
      return await work
    } finally {
      this.inFlight.delete(work)
    }
  }

  /**
   * The sink for transports that must answer fast (WeCom's callback wants its 200 within 5 seconds and
   * retries otherwise): resolves once the message is committed to the inbox — one commit — and handles it
   * right after, in the background. A crash in between leaves it pending for the recovery sweep.
   */
  store = async (message: InboundMessage): Promise<AcceptResult> => {
    const accepted = await this.accept(message)
    if (accepted === 'duplicate') return 'duplicate'
    if (!this.background.push(accepted.conversationId)) this.storedHere.take(accepted.conversationId)
    return 'accepted'
  }

  private readonly background = new DrainQueue((id) => this.drainLogged(id), 8)

  /** Resolves when every message received or stored so far has been handled. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight])
    await this.background.idle()
  }

  /**
   * The usual path stores and handles a message in one transaction (one commit per turn). If that
   * fails, the careful path stores the message on its own first, so that a handler that keeps failing
   * is recorded with an apology and a database outage leaves the caller an error to retry on.
   */
  private async acceptAndHandle(raw: InboundMessage): Promise<AcceptResult> {
    const message = cleaned(raw)
    const computedAhead = await this.optimisticTurn(message)
    if (computedAhead) return computedAhead
    let fast: { conversationId: number; outcome: 'more' | 'last' | 'none' } | 'duplicate'
    try {
      fast = await preparedTransaction(this.dataSource, async (manager) => {
        const opened = await this.openTurn(manager, message)
        if (opened.inbound_id === null) return 'duplicate' as const
        const only = opened.alone
          ? { id: opened.inbound_id, text: storedFields(message).text, media: message.media ?? null }
          : null
        return {
          conversationId: opened.id,
          outcome: await this.handleNext(manager, opened.id, opened, only),
        }
      })
    } catch (error) {
      this.logger.warn({ err: error }, 'turn failed; storing the message first and handling it again')
      return this.acceptThenDrain(message)
    }
    if (fast === 'duplicate') return 'duplicate'
    this.afterCommit()
    if (fast.outcome === 'more') await this.drainLogged(fast.conversationId)
    return 'accepted'
  }

  /**
   * A bound owner's turn computed from the conversation as this process last knew it, without locking
   * it: most turns read nothing but their dialog state (the menu, a choice, a step of a form) and are
   * written in one statement that commits alone — one round trip instead of four. A turn whose dialog
   * reaches for the database (files a case, lists units) opens a transaction with its first query and
   * commits it with the same statement. That statement applies only if the conversation is still as it
   * was known (OPTIMISTIC_TURN); if not, or if anything fails, everything is undone and the message
   * takes the locking path as if this had not been tried. Null then. Not tried for a conversation
   * unknown here, media, or an understander that may call out (it would be asked twice).
   */
  private async optimisticTurn(message: InboundMessage, storedAs?: string): Promise<AcceptResult | null> {
    if (message.media || this.options.dialogs.understander) return null
    if (this.options.audienceOf(message.channel) !== 'owner') return null
    const known = this.known.get(message.channel, message.senderId)
    if (!known) return null
    const now = this.clock()
    const stored = storedFields(message)
    const transaction = transactionOnFirstQuery(this.dataSource)
    try {
      const reply = await this.respond(
        transaction.manager,
        { ...known, handed_off_at: null, staff_active_at: null },
        { dialog: known.dialog, dialogExpiresAt: known.dialog_expires_at },
        { id: '', text: stored.text, media: null },
        now,
      )
      const head = [
        known.id,
        known.version,
        reply.state.dialog ? JSON.stringify(reply.state.dialog) : null,
        reply.state.dialogExpiresAt,
        now,
        known.owner_id,
        known.owner_name,
        known.household_id,
      ]
      const ambassador = [
        known.ambassador_id,
        known.ambassador_name,
        known.ambassador_phone,
        known.ambassador_wecom_user_id,
      ]
      const replies = JSON.stringify(reply.outgoing)
      // A message already stored is marked done; a new one is stored with its turn.
      const [name, sql, parameters] =
        storedAs === undefined
          ? [
              'anju.turn.optimistic',
              OPTIMISTIC_TURN,
              [...head, message.messageId, stored.text, message.receivedAt, replies, ...ambassador],
            ]
          : [
              'anju.turn.optimistic-stored',
              OPTIMISTIC_STORED_TURN,
              [...head, storedAs, replies, ...ambassador],
            ]
      const written = transaction.opened
        ? await queryRows<{ version: string }>(transaction.manager, sql, parameters)
        : await preparedRows<{ version: string }>(this.dataSource, name, sql, parameters)
      if (written.length === 0) {
        await transaction.rollback()
        this.known.forget(message.channel, message.senderId)
        return null
      }
      await transaction.commit()
      this.known.remember({
        ...known,
        dialog: reply.state.dialog,
        dialog_expires_at: reply.state.dialogExpiresAt,
        version: written[0].version,
      })
      this.onRepliesQueued()
      return 'accepted'
    } catch (error) {
      await transaction.rollback()
      if (isRepeatedMessage(error)) return 'duplicate'
      // The locking path runs it again, and records why should it fail there too.
      this.known.forget(message.channel, message.senderId)
      return null
    }
  }

  private mediaRecorded = false

  private afterCommit(): void {
    this.onRepliesQueued()
    if (this.mediaRecorded) {
      this.mediaRecorded = false
      this.options.onMedia?.()
    }
  }

  private async acceptThenDrain(message: InboundMessage): Promise<AcceptResult> {
    const accepted = await this.accept(message)
    if (accepted === 'duplicate') return 'duplicate'
    await this.drainLogged(accepted.conversationId)
    return 'accepted'
  }

  private async drainLogged(conversationId: number): Promise<void> {
    try {
      await this.drain(conversationId)
    } catch (error) {
      // Accepted is accepted: the message stays pending and the recovery sweep handles it later.
      this.logger.error({ err: error, conversationId }, 'handling deferred')
    }
  }

  /** Stores a message (dedupe on the channel's message id) without handling it: committed = accepted. */
  async accept(raw: InboundMessage): Promise<{ conversationId: number; inboundId: string } | 'duplicate'> {
    const message = cleaned(raw)
    const parameters = inboxParameters(message)
    const once = async () =>
      (
        await preparedRows<{ conversation_id: number | null; inbound_id: string | null }>(
          this.dataSource,
          'anju.accept',
          ACCEPT,
          parameters,
        )
      )[0]
    let row = await once()
    // Created by another message in the same instant: the next statement's snapshot sees it.
    if (row.conversation_id === null) row = await once()
    if (row.conversation_id === null) throw new Error('conversation could not be found or created')
    if (row.inbound_id === null) return 'duplicate'
    this.storedHere.note(row.conversation_id, { message, inboundId: row.inbound_id })
    return { conversationId: row.conversation_id, inboundId: row.inbound_id }
  }

  /** Locks (creating it if need be) the sender's conversation, which serialises its turns, and stores
   * the message in the same statement. */
  private async openTurn(manager: EntityManager, message: InboundMessage): Promise<OpenedTurn> {
    const open = async () =>
      (await preparedRows<OpenedTurn>(manager, 'anju.turn.open', OPEN_TURN, inboxParameters(message)))[0]
    const existing = await open()
    if (existing) return existing
    await manager.query(
      `INSERT INTO conversation (channel, external_id) VALUES ($1, $2) ON CONFLICT (channel, external_id) DO NOTHING`,
      [message.channel, message.senderId],
    )
    return (await open()) as OpenedTurn
  }

  /** Handles the conversation's pending messages oldest first, one transaction each. */
  async drain(conversationId: number): Promise<void> {
    // The one message this process stored for the conversation since its last drain, when there is
    // exactly one, is computed ahead like a received one; the statement checks nothing precedes it.
    // Whatever else is pending was stored elsewhere and is drained by whoever stored it.
    const only = this.storedHere.take(conversationId)
    if (only && (await this.optimisticTurn(only.message, only.inboundId)) === 'accepted') return
    for (;;) {
      let outcome: 'more' | 'last' | 'none'
      try {
        outcome = await preparedTransaction(this.dataSource, (manager) =>
          this.handleNext(manager, conversationId),
        )
      } catch (error) {
        outcome = (await this.failOldestPending(conversationId, error)) ? 'more' : 'none'
      }
      if (outcome !== 'none') this.afterCommit()
      // A message accepted after this look is drained by its own receive(), which waits for our lock.
      if (outcome !== 'more') break
    }
  }

  /** Picks up messages left pending by a crash or a database outage. */
  async recoverPending(olderThanSeconds = 10): Promise<number> {
    const rows: { conversation_id: number }[] = await this.dataSource.query(
      `SELECT DISTINCT conversation_id FROM inbound_message
        WHERE status = 'pending' AND accepted_at <= now() - make_interval(secs => $1)`,
      [olderThanSeconds],
    )
    for (const row of rows) await this.drain(row.conversation_id)
    return rows.length
  }

  /**
   * Handles the oldest pending message (`only`, when the caller knows it is the one pending); says
   * whether another one was already waiting behind it.
   */
  private async handleNext(
    manager: EntityManager,
    conversationId: number,
    locked?: ConversationRow,
    only: InboundRow | null = null,
  ): Promise<'more' | 'last' | 'none'> {
    let conversation = locked
    let pending = only ? [only] : null
    if (!conversation) {
      const [next] = await preparedRows<ConversationRow & { current: boolean; pending: InboundRow[] }>(
        manager,
        'anju.turn.next',
        NEXT_TURN,
        [conversationId],
      )
      if (!next) return 'none'
      conversation = next
      if (next.current) pending = next.pending
    }
    pending ??= await preparedRows<InboundRow>(manager, 'anju.turn.pending', PENDING, [conversationId])
    const [inbound, waiting] = pending
    if (!inbound) return 'none'

    const now = this.clock()
    const state: ConversationState = {
      dialog: conversation.dialog,
      dialogExpiresAt: conversation.dialog_expires_at,
    }
    const { outgoing, state: next, ownerId } = await this.respond(manager, conversation, state, inbound, now)

    const [written] = await preparedRows<{ version: string }>(manager, 'anju.turn.write', WRITE_TURN, [
      conversation.id,
      next.dialog ? JSON.stringify(next.dialog) : null,
      next.dialogExpiresAt,
      now,
      ownerId,
      inbound.id,
      conversation.channel,
      conversation.external_id,
      JSON.stringify(outgoing),
    ])
    this.rememberAfterTurn(conversation, next, ownerId, written.version)
    // What an owner sent is kept beyond the channel's window: recorded now, fetched after the commit.
    if (
      inbound.media &&
      inbound.media.kind !== 'location' &&
      this.options.audienceOf(conversation.channel) === 'owner'
    ) {
      await recordMedia(manager, {
        channel: conversation.channel,
        sourceRef: inbound.media.ref,
        kind: inbound.media.kind,
        conversationId: conversation.id,
        inboundMessageId: inbound.id,
        at: now,
      })
      this.mediaRecorded = true
    }
    return waiting ? 'more' : 'last'
  }

  /**
   * What the next turn of a bound owner can be computed from. Remembered before the commit: should the
   * transaction roll back, the version it names never becomes the row's, and the entry just misses once.
   */
  private rememberAfterTurn(
    conversation: ConversationRow,
    state: ConversationState,
    ownerId: number | null,
    version: string,
  ): void {
    const bound = conversation.owner_id !== null && ownerId === conversation.owner_id
    if (!bound || this.options.audienceOf(conversation.channel) !== 'owner') {
      this.known.forget(conversation.channel, conversation.external_id)
      return
    }
    this.known.remember({
      id: conversation.id,
      channel: conversation.channel,
      external_id: conversation.external_id,
      dialog: state.dialog,
      dialog_expires_at: state.dialogExpiresAt,
      owner_id: conversation.owner_id as number,
      owner_name: conversation.owner_name as string,
      household_id: conversation.household_id as number,
      ambassador_id: conversation.ambassador_id,
      ambassador_name: conversation.ambassador_name,
      ambassador_phone: conversation.ambassador_phone,
      ambassador_wecom_user_id: conversation.ambassador_wecom_user_id,
      version,
    })
  }

  private async respond(
    manager: EntityManager,
    conversation: ConversationRow,
    state: ConversationState,
    inbound: InboundRow,
    now: Date,
  ): Promise<{ outgoing: OutgoingMessage[]; state: ConversationState; ownerId: number | null }> {
    if (this.options.audienceOf(conversation.channel) === 'staff') {
      return {
        outgoing: [text(await this.staffReply(manager, conversation, inbound, now))],
        state,
        ownerId: null,
      }
    }
    const session = await this.ownerSession(manager, conversation)
    const ownerId = session?.ownerId ?? null
    // While staff have the conversation the bot keeps quiet (菜单 or 取消 take it back).
    if (conversation.handed_off_at) {
      const withStaff = await turnWithStaff(
        manager,
        conversation,
        inbound,
        now,
        this.options.handOffIdleMinutes,
      )
      if (withStaff !== 'bot') return { outgoing: withStaff, state, ownerId }
    }
    // Unreadable input leaves the dialog where it was: the owner can simply answer again.
    const refuse = (message: string) => ({ outgoing: [text(message)], state, ownerId })
    // Pictures, voice notes, videos, files and locations go to the dialogs: a step that asked for a photo
    // takes it, anything else is acknowledged and handed to a person.
    const media = inbound.media ?? undefined
    const words = inbound.text ?? ''
    if (!media && words.trim() === '')
      return refuse(inbound.text === null ? copy.unsupportedMedia : copy.emptyMessage)
    if ([...words].length > this.options.maxChars) return refuse(copy.tooLong(this.options.maxChars))
    const input: OwnerInput = media ? { text: '', media } : { text: words }
    const turnOptions = { now, idleMinutes: this.options.idleMinutes, maxTries: this.options.maxTries }
    if (session) {
      return {
        ...(await converse(ownerDialogs, state, input, this.dialogDeps(manager, session, now), turnOptions)),
        ownerId,
      }
    }

    const identity = {
      channel: conversation.channel,
      externalId: conversation.external_id,
      conversationId: conversation.id,
    }
    const binding = await converseUnbound(
      state,
      input,
      bindingDeps(manager, identity, now, this.options.dialogs),
      turnOptions,
    )
    const bound = await this.ownerSession(manager, conversation, true)
    if (!bound) return { ...binding, ownerId: null }
    // Bound in this turn: greet the owner with the main menu straight away.
    const menu = await converse(
      ownerDialogs,
      binding.state,
      { text: '菜单' },
      this.dialogDeps(manager, bound, now),
      turnOptions,
    )
    return { outgoing: [...binding.outgoing, ...menu.outgoing], state: menu.state, ownerId: bound.ownerId }
  }

  /** Staff write from WeCom: each message is one command about their cases. */
  private async staffReply(
    manager: EntityManager,
    conversation: ConversationRow,
    inbound: InboundRow,
    now: Date,
  ): Promise<string> {
    const [staff] = await manager.query(
      `SELECT id AS "staffId", name, role FROM ambassador WHERE wecom_user_id = $1 AND active`,
      [conversation.external_id],
    )
    if (!staff) return copy.staffCommands.notStaff
    return handleStaffCommand(
      inbound.text ?? '',
      staff,
      new PgStaffCaseServices(manager, now, this.options.dialogs.clock),
    )
  }

  private dialogDeps(manager: EntityManager, session: OwnerSession, now: Date): OwnerDialogDeps {
    return ownerDialogDeps(manager, session, now, this.options.dialogs)
  }

  /** The owner read with the locked row; after a binding in this turn, read again. */
  private async ownerSession(
    manager: EntityManager,
    conversation: ConversationRow,
    fresh = false,
  ): Promise<OwnerSession | null> {
    if (!fresh) {
      if (conversation.owner_id === null) return null
      return {
        ownerId: conversation.owner_id,
        ownerName: conversation.owner_name as string,
        householdId: conversation.household_id as number,
        channel: conversation.channel,
        conversationId: conversation.id,
        ambassador:
          conversation.ambassador_id === null
            ? null
            : {
                id: conversation.ambassador_id,
                name: conversation.ambassador_name as string,
                phone: conversation.ambassador_phone as string,
                wecomUserId: conversation.ambassador_wecom_user_id,
              },
      }
    }
    const rows: { owner_id: number; name: string; household_id: number }[] = await manager.query(
      `SELECT o.id AS owner_id, o.name, o.household_id
         FROM channel_identity ci JOIN owner o ON o.id = ci.owner_id
        WHERE ci.channel = $1 AND ci.external_id = $2`,
      [conversation.channel, conversation.external_id],
    )
    const owner = rows[0]
    if (!owner) return null
    return {
      ownerId: owner.owner_id,
      ownerName: owner.name,
      householdId: owner.household_id,
      channel: conversation.channel,
      conversationId: conversation.id,
    }
  }

  /**
   * Error boundary: a message whose handling throws is marked failed (kept, with the error), the dialog
   * is cleared so the owner is not stuck replaying it, and the owner gets an apology. If even that cannot
   * be written (database down), the message stays pending for the recovery sweep.
   */
  private async failOldestPending(conversationId: number, error: unknown): Promise<boolean> {
    this.logger.error({ err: error, conversationId }, 'message handling failed')
    try {
      return await preparedTransaction(this.dataSource, async (manager) => {
        const [conversation] = (await manager.query(
          `SELECT id, channel, external_id FROM conversation WHERE id = $1 FOR UPDATE`,
          [conversationId],
        )) as ConversationRow[]
        const failed = await queryRows<{ id: string }>(
          manager,
          `UPDATE inbound_message SET status = 'failed', processed_at = now(), error = $2
            WHERE id = (SELECT id FROM inbound_message WHERE conversation_id = $1 AND status = 'pending'
                         ORDER BY id LIMIT 1)
          RETURNING id`,
          [conversationId, String(error).slice(0, 2000)],
        )
        if (failed.length === 0) return false
        await manager.query(`UPDATE conversation SET dialog = NULL, dialog_expires_at = NULL WHERE id = $1`, [
          conversationId,
        ])
        await enqueueOutgoing(manager, conversation, failed[0].id, [text(copy.somethingWentWrong)])
        return true
      })
    } catch (secondError) {
      this.logger.error({ err: secondError, conversationId }, 'could not record the failure; left pending')
      throw error
    }
  }
}
