import type { DataSource } from 'typeorm'
import { DeliveryError } from '../../src/bot/channel'
import { OutboxDispatcher, enqueueOutgoing } from '../../src/bot/outbox'
import { WRITE_TURN } from '../../src/bot/turn-statements'
import { letterReceipts } from '../../src/db/letter-receipts'
import { createLetter, publishLetter } from '../../src/services/letters/letters'
import { text, type OutgoingMessage } from '../../src/dialogs/runtime/messages'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { RecordingChannel, seedAndBind, silentLogger } from '../support/harness'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db.drop())
beforeEach(async () => {
  await db.dataSource.query(`DELETE FROM outbox`)
})

async function queue(recipient: string, ...texts: string[]): Promise<void> {
  await db.dataSource.transaction(async (manager) => {
    const [conversation] = await manager.query(
      `INSERT INTO conversation (channel, external_id) VALUES ('test', $1)
       ON CONFLICT (channel, external_id) DO UPDATE SET updated_at = now() RETURNING id, channel, external_id`,
      [recipient],
    )
    await enqueueOutgoing(manager, conversation, null, texts.map(text))
  })
}

function dispatcher(dataSource: DataSource, channel: RecordingChannel): OutboxDispatcher {
  return new OutboxDispatcher(dataSource, new Map([[channel.name, channel]]), silentLogger, {
    maxAttempts: 3,
    receipts: letterReceipts,
  })
}

/** Time passes: every waiting retry becomes due now. */
const skipBackoff = () =>
  db.dataSource.query(`UPDATE outbox SET next_attempt_at = now() WHERE status = 'pending'`)

describe('outbox delivery', () => {
  it('delivers each owner the replies in the order they were written', async () => {
    await queue('owner-a', 'a1', 'a2', 'a3')
    await queue('owner-b', 'b1', 'b2')
    const channel = new RecordingChannel()
    await dispatcher(db.dataSource, channel).settle()
    expect(channel.textsTo('owner-a')).toEqual(['a1', 'a2', 'a3'])
    expect(channel.textsTo('owner-b')).toEqual(['b1', 'b2'])
  })

  it('retries a failing channel with backoff, keeping later replies behind the failed one', async () => {
    await queue('owner-a', 'first', 'second')
    const channel = new RecordingChannel()
    channel.failuresLeft = 2
    const outbox = dispatcher(db.dataSource, channel)
    await outbox.settle()
    expect(channel.delivered).toEqual([])
    const [waiting] = await db.dataSource.query(
      `SELECT attempts, last_error, next_attempt_at > now() AS backing_off FROM outbox ORDER BY id LIMIT 1`,
    )
    expect(waiting).toMatchObject({
      attempts: 1,
      backing_off: true,
      last_error: expect.stringMatching(/unavailable/),
    })

    await skipBackoff()
    await outbox.settle()
    await skipBackoff()
    await outbox.settle()
    expect(channel.textsTo('owner-a')).toEqual(['first', 'second'])
  })

  it('gives up on a permanent failure and says why, without blocking the owner for ever', async () => {
    await queue('owner-a', 'blocked', 'next')
    const channel = new RecordingChannel()
    channel.failPermanently = true
    await dispatcher(db.dataSource, channel).settle()
    const rows = await db.dataSource.query(`SELECT status, last_error FROM outbox ORDER BY id`)
    expect(rows[0]).toMatchObject({ status: 'dead', last_error: expect.stringMatching(/blocked the bot/) })
  })

  it('never sends a row twice when two instances deliver at the same time', async () => {
    for (let i = 0; i < 40; i += 1) await queue(`owner-${i % 8}`, `m${i}`)
    const one = new RecordingChannel()
    const two = new RecordingChannel()
    const otherPool = await db.connectAgain()
    await Promise.all([dispatcher(db.dataSource, one).settle(), dispatcher(otherPool, two).settle()])
    const all = [...one.delivered, ...two.delivered].map((d) => d.text).sort()
    expect(all).toHaveLength(40)
    expect(new Set(all).size).toBe(40)
    const [{ unsent }] = await db.dataSource.query(
      `SELECT count(*)::int AS unsent FROM outbox WHERE status <> 'sent'`,
    )
    expect(unsent).toBe(0)
  })

  it('takes over rows claimed by an instance that died before delivering', async () => {
    await queue('owner-a', 'orphan')
    await db.dataSource.query(
      `UPDATE outbox SET status = 'sending', next_attempt_at = now() - interval '1 second'`,
    )
    const channel = new RecordingChannel()
    await dispatcher(db.dataSource, channel).settle()
    expect(channel.textsTo('owner-a')).toEqual(['orphan'])
  })

  it('keeps each letter recipient’s record with its message: delivered, held and why, or failed', async () => {
    await seedAndBind(db.dataSource, {
      'wx-li': '13800000002',
      'wx-wang': '13800000003',
      'wx-zhao': '13800000004',
    })
    const [project] = await db.dataSource.query(`SELECT id FROM project WHERE code = 'CUIHU'`)
    const letterId = await createLetter(db.dataSource, {
      kind: 'progress',
      projectId: project.id,
      title: '12月工程进度告知函',
      body: '园林景观施工已开始。',
      createdBy: 'test',
    })
    await db.dataSource.transaction((manager) => publishLetter(manager, letterId, new Date()))
    // 李梅 is reached, 王五's 48-hour window has closed, 赵六 has blocked the bot.
    const channel = new RecordingChannel()
    channel.deliver = async (recipient: string, message: OutgoingMessage) => {
      if (recipient === 'wx-wang') throw new DeliveryError('window closed', false, 'KF_WINDOW_CLOSED')
      if (recipient === 'wx-zhao') throw new DeliveryError('recipient blocked the bot', false)
      channel.delivered.push({ recipient, text: JSON.stringify(message) })
    }
    await dispatcher(db.dataSource, channel).settle()

    const records = await db.dataSource.query(
      `SELECT o.name, d.status, d.hold_reason, d.delivered_at IS NOT NULL AS delivered
         FROM letter_delivery d JOIN owner o ON o.id = d.owner_id
        WHERE d.letter_id = $1 AND o.name IN ('李梅', '王五', '赵六') ORDER BY o.name`,
      [letterId],
    )
    expect(records).toEqual([
      { name: '李梅', status: 'delivered', hold_reason: null, delivered: true },
      { name: '王五', status: 'held', hold_reason: 'KF_WINDOW_CLOSED', delivered: false },
      { name: '赵六', status: 'failed', hold_reason: expect.stringMatching(/blocked/), delivered: false },
    ])
    expect(channel.delivered.map((d) => d.recipient)).toEqual(['wx-li'])
  })
})

describe('outbox at a broadcast backlog', () => {
  it("releases a conversation's held replies through an index, however many messages wait undelivered", async () => {
    // A large letter waiting out WeCom's limits: 20,000 undelivered messages to other owners.
    await db.dataSource.query(
      `INSERT INTO outbox (channel, recipient, payload)
       SELECT 'wecom-kf', 'owner-' || n, '{"kind":"text","text":"告知函"}' FROM generate_series(1, 20000) n`,
    )
    await queue('wx-busy', '在吗')
    await db.dataSource.query(`ANALYZE outbox`)
    const runner = db.dataSource.createQueryRunner()
    try {
      // The turn's own write, planned as the pipeline runs it (a prepared statement).
      await runner.query(`PREPARE write_turn AS ${WRITE_TURN}`)
      const [{ 'QUERY PLAN': plan }] = await runner.query(
        `EXPLAIN (FORMAT JSON) EXECUTE write_turn(1, NULL, NULL, now(), NULL, NULL, 'test', 'wx-busy', '[]')`,
      )
      // Through an index on the conversation (the held rows' own, or the conversation's), never a scan.
      const released = JSON.stringify(plan).match(/"Subplan Name":"CTE released"[^\]]*/)?.[0] ?? ''
      expect(released).toMatch(/"Index Name":"outbox_(held_by_conversation|conversation)"/)
      expect(released).not.toMatch(/"Node Type":"Seq Scan"/)
    } finally {
      await runner.query(`DEALLOCATE ALL`)
      await runner.release()
    }
  })
})
