import { DrainQueue } from '../../src/bot/drain-queue'

/** A drain that waits until released, recording what ran and how many ran at once. */
function gatedDrains() {
  const started: number[] = []
  const gates: (() => void)[] = []
  let running = 0
  let most = 0
  const drain = async (id: number) => {
    started.push(id)
    running += 1
    most = Math.max(most, running)
    await new Promise<void>((resolve) => gates.push(resolve))
    running -= 1
  }
  const releaseAll = async () => {
    while (gates.length > 0) {
      gates.splice(0).forEach((open) => open())
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  return { drain, started, releaseAll, most: () => most }
}

describe('the background drain queue', () => {
  it('drains each conversation once per burst, never two drains of one at a time, at most N at once', async () => {
    const drains = gatedDrains()
    const queue = new DrainQueue(drains.drain, 2)
    for (const id of [1, 1, 2, 3, 1, 4]) expect(queue.push(id)).toBe(true)
    await new Promise((resolve) => setImmediate(resolve))
    expect(drains.started).toEqual([1, 2])
    // While 1 drains, a new message for it queues one more drain of 1, run after the current one.
    queue.push(1)
    await drains.releaseAll()
    await queue.idle()
    expect(drains.started.sort()).toEqual([1, 1, 2, 3, 4])
    expect(drains.most()).toBe(2)
  })

  it('refuses beyond its bound (the inbox keeps the messages for the recovery sweep)', async () => {
    const drains = gatedDrains()
    const queue = new DrainQueue(drains.drain, 1, 2)
    expect(queue.push(1)).toBe(true) // running at once
    expect(queue.push(2)).toBe(true)
    expect(queue.push(3)).toBe(true)
    expect(queue.push(4)).toBe(false)
    expect(queue.push(2)).toBe(true) // already waiting: no new place needed
    await drains.releaseAll()
    await queue.idle()
    expect(drains.started).toEqual([1, 2, 3])
  })
})
