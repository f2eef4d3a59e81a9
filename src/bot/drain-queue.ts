/**
 * Conversations with stored messages waiting to be handled, drained by a few workers. A conversation is
 * queued once however many messages arrive for it meanwhile: one drain handles them all, in order.
 * Beyond `maxQueued` conversations nothing is lost — the messages are in the inbox and the recovery
 * sweep handles them — so memory stays bounded under a flood.
 */
export class DrainQueue {
  private readonly waiting = new Set<number>()
  private readonly running = new Set<number>()
  private readonly workers = new Set<Promise<void>>()

  constructor(
    private readonly drain: (conversationId: number) => Promise<void>,
    private readonly concurrency: number,
    private readonly maxQueued = 10_000,
  ) {}

  /** Queues the conversation; false when the queue is full (the recovery sweep will pick it up). */
  push(conversationId: number): boolean {
    if (!this.waiting.has(conversationId)) {
      if (this.waiting.size >= this.maxQueued) return false
      this.waiting.add(conversationId)
    }
    while (this.workers.size < this.concurrency && this.nextRunnable() !== null) {
      const worker = this.work().finally(() => this.workers.delete(worker))
      this.workers.add(worker)
    }
    return true
  }

  /** Resolves when everything queued so far has been drained. */
  async idle(): Promise<void> {
    while (this.workers.size > 0) await Promise.allSettled([...this.workers])
  }

  /** A waiting conversation no worker is draining now (two drains of one would only wait for each other). */
  private nextRunnable(): number | null {
    for (const id of this.waiting) if (!this.running.has(id)) return id
    return null
  }

  private async work(): Promise<void> {
    for (let id = this.nextRunnable(); id !== null; id = this.nextRunnable()) {
      this.waiting.delete(id)
      this.running.add(id)
      try {
        await this.drain(id)
      } finally {
        this.running.delete(id)
      }
    }
  }
}
