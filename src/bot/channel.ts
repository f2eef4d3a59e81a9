import type { MediaRef, OutgoingMessage } from '../dialogs/runtime/messages'

/** A message as every channel adapter hands it to the pipeline. */
export interface InboundMessage {
  channel: string
  /** The channel's own id for this message: the dedupe key (WeCom MsgId, Wechaty message id, …). */
  messageId: string
  /** Who wrote it, in the channel's terms (external_userid, contact id, …); replies go back to them. */
  senderId: string
  /** null when the message has no words (a picture, a voice note, a sticker). */
  text: string | null
  /** A picture or file, by the channel's reference; dialogs accept pictures where they ask for photos. */
  media?: MediaRef
  receivedAt: Date
}

export type AcceptResult = 'accepted' | 'duplicate'

/** What a channel adapter calls for each inbound message; resolves once the message is safely stored. */
export type InboundSink = (message: InboundMessage) => Promise<AcceptResult>

/** Who writes on a channel: owners (their messages go to dialogs) or staff (to staff commands). */
export type Audience = 'owner' | 'staff'

/** The one port every channel implements. */
export interface Channel {
  readonly name: string
  readonly audience: Audience
  start(sink: InboundSink): Promise<void>
  stop(): Promise<void>
  /** Sends one message; throws DeliveryError so the outbox knows whether to try again. */
  deliver(recipient: string, message: OutgoingMessage): Promise<void>
  /**
   * How many of up to `wanted` messages it may send now, for a channel whose service limits the rate
   * (the outbox claims no more, so messages beyond the limit wait untouched). Absent: no limit.
   */
  capacity?(wanted: number): Promise<number>
  /**
   * The bytes of a file an owner sent, by the reference the channel gave it (channels whose owners send
   * files). Throws MediaGone when the channel no longer has it; any other error is tried again later.
   */
  fetchMedia?(ref: string, maxBytes: number): Promise<Buffer>
}

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** Not now, and not by retrying: keep the message until the owner writes again (e.g. kf 48-hour window). */
    readonly hold: string | null = null,
    /**
     * Earliest sensible retry, when a rate limit frees up. Such a wait is not a failed attempt: it does
     * not count towards the attempts after which a message is given up.
     */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message)
  }
}
