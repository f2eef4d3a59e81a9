import { spawn, type ChildProcess } from 'node:child_process'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { createTestDatabase, type TestDatabase } from '../support/db'

/**
 * Kill -9 in the middle of handling messages, then start again: every accepted message is handled,
 * none twice. The app runs as a real child process (tsx), chatting on its console channel.
 */
const ROOT = path.resolve(__dirname, '../..')

function startAnju(db: TestDatabase): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      CONSOLE_CHANNEL: 'on',
      SEED_DEMO: 'on',
      PORT: '0',
      LOG_LEVEL: 'silent',
      DATA_DIR: path.join(ROOT, 'data', `crash-test-${process.pid}`),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))

describe('crash and restart', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase()
  })
  afterAll(async () => {
    await db.drop()
    await rm(path.join(ROOT, 'data', `crash-test-${process.pid}`), { recursive: true, force: true })
  })

  it('loses no accepted message and handles none twice after kill -9', async () => {
    const first = startAnju(db)
    let output = ''
    first.stdout?.on('data', (chunk) => (output += chunk.toString()))
    // Wait for the console to be ready (the banner), then send a stream of messages.
    for (let i = 0; i < 1200 && !output.includes('Ctrl-D'); i += 1)
      await new Promise((r) => setTimeout(r, 25))
    expect(output).toContain('Ctrl-D')
    const count = async () =>
      (
        await db.dataSource.query(`SELECT count(*)::int AS n FROM inbound_message WHERE channel = 'console'`)
      )[0].n as number
    for (let i = 0; i < 200; i += 1) first.stdin?.write('菜单\n')
    // Kill while messages are being handled: some accepted and done, some accepted and pending, some unread.
    for (let i = 0; i < 1500 && (await count()) < 20; i += 1) await new Promise((r) => setTimeout(r, 10))
    first.kill('SIGKILL')
    await exited(first)
    // A COMMIT the process sent just before dying still completes on the server: count once its
    // backends are no longer active, or a message accepted in that instant is missed here.
    for (let i = 0; i < 500; i += 1) {
      const [busy] = await db.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`,
      )
      if (busy.n === 0) break
      await new Promise((r) => setTimeout(r, 10))
    }
    const accepted = await count()
    expect(accepted).toBeGreaterThanOrEqual(20)

    // The second run has nothing new to say; it only recovers, delivers and stops.
    const second = startAnju(db)
    second.stdin?.end()
    expect(await exited(second)).toBe(0)

    const [state] = await db.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE status = 'done')::int AS done
         FROM inbound_message WHERE channel = 'console'`,
    )
    expect(state).toEqual({ pending: 0, done: accepted })
    // Each 菜单 gets exactly one reply (the menu): a message handled twice would have two.
    const replies: { inbound_id: string; n: number }[] = await db.dataSource.query(
      `SELECT i.id AS inbound_id, count(o.id)::int AS n
         FROM inbound_message i LEFT JOIN outbox o ON o.inbound_id = i.id
        WHERE i.channel = 'console' GROUP BY i.id`,
    )
    expect(replies.filter((r) => r.n !== 1)).toEqual([])
    // A reply the killed process had claimed stays leased to it for a minute (the replies after it wait
    // their turn, in order), then any instance sends it. Nothing is dead; let the minute pass, start once
    // more: every reply goes out.
    const [unsent] = await db.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'dead')::int AS dead FROM outbox WHERE channel = 'console'`,
    )
    expect(unsent.dead).toBe(0)
    await db.dataSource.query(`UPDATE outbox SET next_attempt_at = now() WHERE status = 'sending'`)
    const third = startAnju(db)
    third.stdin?.end()
    expect(await exited(third)).toBe(0)
    const [final] = await db.dataSource.query(
      `SELECT count(*) FILTER (WHERE status <> 'sent')::int AS n FROM outbox WHERE channel = 'console'`,
    )
    expect(final.n).toBe(0)
  }, 90_000)
})
