import { phoneLookupKey, sealPhone } from '../../src/domain/phone-vault'
import { BINDING_LOCKOUT_FAILURES } from '../../src/services/households/binding-services'
import { expireIdleDialogs } from '../../src/services/conversations/dialog-expiry'
import { testClock } from '../support/clock'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { botInstance, say, seedAndBind, type BotInstance } from '../support/harness'

/**
 * Binding is the door to an owner's file: a stranger who guesses a phone number and a unit reads that
 * owner's cases. These tests play the guesser. Demo files: 张三 13800000001 owns 3栋1201 (ambassador
 * 李娜, WeChat wx-zhang bound); 王五 13800000003 owns 2栋502.
 */
let db: TestDatabase
let bot: BotInstance
beforeAll(async () => {
  db = await createTestDatabase()
  await seedAndBind(db.dataSource, { 'wx-zhang': '13800000001' })
  bot = botInstance(db.dataSource)
  await say(bot, 'wx-zhang', '菜单') // 张三 has talked to us: warnings can reach him
})
afterAll(() => db.drop())
// Each test starts with no lock-out in force (failures are kept as rows; the window is 24 hours).
beforeEach(() => db.dataSource.query(`DELETE FROM binding_failure`))

const boundTo = async (externalId: string): Promise<string | null> => {
  const rows = await db.dataSource.query(
    `SELECT o.name FROM channel_identity ci JOIN owner o ON o.id = ci.owner_id WHERE ci.external_id = $1`,
    [externalId],
  )
  return rows[0]?.name ?? null
}
const staffMessages = async (wecomUserId: string): Promise<string[]> =>
  (
    await db.dataSource.query(
      `SELECT payload->>'text' AS text FROM outbox WHERE channel = 'wecom-app' AND recipient = $1 ORDER BY id`,
      [wecomUserId],
    )
  ).map((row: { text: string }) => row.text)

describe('binding lock-out', () => {
  it('counts every wrong guess, however the guesser goes back: no ninth guess, no binding', async () => {
    const guesser = 'wx-guess-back'
    const replies = [await say(bot, guesser, '你好', '同意', '13800000001', '9栋999')]
    for (const room of ['101', '102', '103', '104', '105', '106', '107', '108'])
      replies.push(await say(bot, guesser, '返回', `9栋${room}`))
    replies.push(await say(bot, guesser, '返回', '3栋1201'))
    const all = replies.join('\n')
    expect(all).toMatch(/还可以再试 2 次/)
    expect(all).not.toMatch(/还可以再试 3 次/)
    // The fifth wrong guess locks at once; what follows is not checked.
    expect(replies[4]).toMatch(/核对尝试次数过多/)
    expect(all).not.toMatch(/核对成功/)
    expect(await boundTo(guesser)).toBeNull()
    const [{ n }] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM binding_failure WHERE external_id = $1`,
      [guesser],
    )
    expect(n).toBe(BINDING_LOCKOUT_FAILURES)
  })

  it('locks a phone number guessed from many accounts, and tells its owner and ambassador', async () => {
    const before = (await staffMessages('lina')).length
    for (let account = 1; account <= BINDING_LOCKOUT_FAILURES; account += 1)
      await say(bot, `wx-ring-${account}`, '你好', '同意', '13800000001', `8栋80${account}`)
    // A sixth account with the right unit is refused: the number is locked for everyone.
    expect(await say(bot, 'wx-ring-6', '你好', '同意', '13800000001', '3栋1201')).toMatch(/核对尝试次数过多/)
    expect(await boundTo('wx-ring-6')).toBeNull()
    const warnings = (await staffMessages('lina')).slice(before)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/张三的手机号 138\*\*\*\*0001 核对房产信息未通过/)
    expect(bot.channel.textsTo('wx-zhang').join('\n')).toMatch(/有人多次尝试用您登记的手机号核对房产信息/)
    // Another owner's number is not affected.
    expect(await say(bot, 'wx-ring-6', '你好', '同意', '13800000003', '2栋502')).toMatch(/核对成功，王五您好/)
  })

  it('tells an owner and their ambassador when their file is bound on another account', async () => {
    const before = (await staffMessages('lina')).length
    expect(await say(bot, 'wx-zhang-new-phone', '你好', '同意', '13800000001', '3栋1201')).toMatch(/核对成功/)
    expect(bot.channel.textsTo('wx-zhang').at(-1)).toMatch(/在另一个微信账号（test）上完成核对绑定/)
    expect((await staffMessages('lina')).slice(before).join('\n')).toMatch(/业主张三的档案在新的微信账号/)
  })
})

/** A small deterministic PRNG, so a failing sequence can be replayed from its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

describe('binding lock-out under any dialog path', () => {
  it('never binds an identity once it has failed five times, whatever it types in between', async () => {
    const moves = [
      '返回',
      '取消',
      '菜单',
      '你好',
      '帮助',
      '人工',
      '13800000003',
      '13800000001',
      '1栋101',
      '2栋599',
      '嗯',
    ]
    for (let seed = 1; seed <= 12; seed += 1) {
      const random = prng(seed)
      const guesser = `wx-fuzz-${seed}`
      // Five failures first, each on a number of its own, so that only the identity's lock stops it.
      for (let i = 0; i < BINDING_LOCKOUT_FAILURES; i += 1)
        await say(bot, guesser, '你好', `139${String(seed * 10 + i).padStart(8, '0')}`, '7栋701')
      for (let step = 0; step < 20; step += 1) {
        const pick = random()
        if (pick < 0.1) {
          // The dialog idles out and is expired by the sweep.
          await db.dataSource.query(
            `UPDATE conversation SET dialog_expires_at = $2::timestamptz - interval '1 minute'
              WHERE external_id = $1 AND dialog IS NOT NULL`,
            [guesser, testClock()],
          )
          await expireIdleDialogs(db.dataSource, testClock())
        } else {
          await say(bot, guesser, moves[Math.floor(random() * moves.length)])
        }
        // The right answers, in the right order, at any moment.
        await say(bot, guesser, '13800000003', '2栋502')
      }
      expect({ seed, bound: await boundTo(guesser) }).toEqual({ seed, bound: null })
    }
  })
})

describe('addresses as owners write them', () => {
  it('binds to units filed as 号楼 and 座 with entrances, whichever way the owner writes them', async () => {
    await db.dataSource.query(`
      WITH p AS (SELECT id FROM project WHERE code = 'CUIHU'),
      b AS (INSERT INTO building (project_id, name) SELECT id, '5号楼' FROM p RETURNING id),
      u AS (INSERT INTO unit (building_id, room_no) SELECT id, '2-1801' FROM b RETURNING id),
      h AS (INSERT INTO household (code, stage) VALUES ('CUIHU-H0501', '准业主') RETURNING id),
      hu AS (INSERT INTO household_unit (household_id, unit_id) SELECT h.id, u.id FROM h, u)
      INSERT INTO owner (household_id, name, phone_enc, phone_key, relation) SELECT id, '孙七', '${sealPhone('13800000077')}', '${phoneLookupKey('13800000077')}', '本人' FROM h`)
    for (const [account, written] of [
      ['wx-addr-1', '5号楼2单元1801'],
      ['wx-addr-2', '5-2-1801'],
      ['wx-addr-3', '５栋 18楼 1801'],
      ['wx-addr-4', '5#1801'],
    ])
      expect({ written, reply: await say(bot, account, '你好', '同意', '13800000077', written) }).toEqual({
        written,
        reply: expect.stringMatching(/核对成功，孙七您好/),
      })
    // Another entrance is another unit: a mismatch, counted.
    expect(await say(bot, 'wx-addr-5', '你好', '同意', '13800000077', '5号楼3单元1801')).toMatch(
      /信息与档案不一致/,
    )
  })
})
