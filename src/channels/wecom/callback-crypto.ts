import { decrypt, encrypt, getSignature } from '@wecom/crypto'
import { randomBytes, timingSafeEqual } from 'node:crypto'

export class CallbackRejected extends Error {
  constructor(
    readonly status: 400 | 403 | 408 | 413,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/**
 * WXBizMsgCrypt for one callback URL: SHA-1 signature over the sorted token, timestamp, nonce and
 * ciphertext, AES-256-CBC with the EncodingAESKey. @wecom/crypto does the cipher; what it leaves to the
 * caller is done here: constant-time signature comparison and the receive-id check.
 */
export class CallbackCrypto {
  constructor(
    private readonly token: string,
    private readonly encodingAesKey: string,
    /** The corp id for app and kf callbacks of a self-built app. */
    private readonly receiveId: string,
  ) {}

  verify(signature: string, timestamp: string, nonce: string, ciphertext: string): void {
    const expected = Buffer.from(getSignature(this.token, timestamp, nonce, ciphertext), 'utf8')
    const given = Buffer.from(signature, 'utf8')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new CallbackRejected(403, 'BAD_SIGNATURE', 'signature does not match')
    }
  }

  open(ciphertext: string): string {
    let opened: { message: string; id: string }
    try {
      opened = decrypt(this.encodingAesKey, ciphertext)
    } catch {
      throw new CallbackRejected(400, 'BAD_CIPHERTEXT', 'ciphertext does not decrypt')
    }
    if (opened.id !== this.receiveId)
      throw new CallbackRejected(400, 'WRONG_RECEIVER', 'message is for another corp')
    return opened.message
  }

  /** Encrypts and signs a message as WeCom does (passive replies, and the fake WeCom server in tests). */
  seal(message: string, timestamp: string, nonce: string): { ciphertext: string; signature: string } {
    const ciphertext = encrypt(this.encodingAesKey, message, this.receiveId, randomBytes(16))
    return { ciphertext, signature: getSignature(this.token, timestamp, nonce, ciphertext) }
  }
}
