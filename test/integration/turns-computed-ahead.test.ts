import { phoneLookupKey as phoneKey } from '../../src/domain/phone-vault'
import { unbindIdentity } from '../../src/db/personal-data-queries'
import { reassignHousehold } from '../../src/services/households/assignment'
import { correctOwnerRecord } from '../../src/services/households/personal-data'
import { testClock } from '../support/clock'
import { createTestDatabase, type TestDatabase } from '../support/db'
import { botInstance, message, say, seedAndBind } from '../support/harness'

/*
 * A bound owner's plain turns are computed from what the process last knew of the conversation and
 * written in one statement (see OPTIMISTIC_TURN). These are the ways that knowledge goes stale: staff
 * change the owner, the ambassador or the binding without touching the conversation, or another
 * instance takes a turn. Each time the owner must get the answer the database says, not the old one.
 */

const ZHANG = 'wx-ahead-zhang'
let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
  await seedAndBind(db.dataSource, { [ZHANG]: '13800000001' })
})
afterAll(() => db.drop())

async function zhang(): Promise<{ id: number; household_id: number }> {
  const [owner] = await db.dataSource.query(`SELECT id, household_id FROM owner WHERE phone_key = $1`, [
    phoneKey('13800000001'),
  ])
  return owner
}

async function staffId(name: string): Promise<number> {
  const [staff] = await db.dataSource.query(`SELECT id FROM ambassador WHERE name = $1`, [name])
  return staff.id
}

describe('turns computed ahead of the database', () => {
  it('greet an owner by the name staff corrected a moment ago', async () => {
    const bot = botInstance(db.dataSource)
    expect(await say(bot, ZHANG, '菜单')).toMatch(/^张三您好/)
    expect(await say(bot, ZHANG, '菜单')).toMatch(/^张三您好/)
    const owner = await zhang()
    await db.dataSource.transaction((manager) =>
      correctOwnerRecord(manager, owner.id, { name: '张珊' }, 'staff:test', testClock()),
    )
    expect(await say(bot, ZHANG, '菜单')).toMatch(/^张珊您好/)
    await db.dataSource.query(`UPDATE owner SET name = '张三' WHERE id = $1`, [owner.id])
  })

  it('name the ambassador the household was just given, with the phone staff just changed', async () => {
    const bot = botInstance(db.dataSource)
    expect(await say(bot, ZHANG, '菜单', '5')).toMatch(/您的客户大使：李娜，电话 13900000001/)
    const owner = await zhang()
    const wang = await staffId('王强')
    await db.dataSource.transaction((manager) =>
      reassignHousehold(manager, owner.household_id, wang, 'leave', 'staff:test', testClock()),
    )
    expect(await say(bot, ZHANG, '菜单', '5')).toMatch(/您的客户大使：王强，电话 13900000002/)
    await db.dataSource.query(`UPDATE ambassador SET phone = '13900000099' WHERE id = $1`, [wang])
    expect(await say(bot, ZHANG, '菜单', '5')).toMatch(/您的客户大使：王强，电话 13900000099/)
  })

  it('treat an identity staff unbound as a stranger at its very next message', async () => {
    const bot = botInstance(db.dataSource)
    expect(await say(bot, ZHANG, '菜单')).toMatch(/请问需要办理什么/)
    await unbindIdentity(db.dataSource, 'test', ZHANG)
    const reply = await say(bot, ZHANG, '菜单')
    expect(reply).not.toMatch(/请问需要办理什么/)
    expect(reply).toMatch(/业主首次使用需要核对房产信息/)
    await seedAndBindAgain()
  })

  it('undo a case filed from a remembered state another instance has since moved on from', async () => {
    const first = botInstance(db.dataSource)
    const second = botInstance(await db.connectAgain())
    const cases = async () => (await db.dataSource.query(`SELECT count(*)::int AS n FROM service_case`))[0].n
    // The first instance takes the owner to the complaint's last question …
    const asked = await say(first, ZHANG, '取消', '投诉', '1', '1', '电梯按钮失灵', '跳过')
    expect(asked).toMatch(/请确认投诉内容/)
    // … the owner cancels through the second, then confirms through the first, which still remembers
    // the form: the case it starts to file is undone, and the confirmation is read with no form open.
    expect(await say(second, ZHANG, '取消')).not.toMatch(/投诉已登记/)
    const before = await cases()
    expect(await say(first, ZHANG, '是')).not.toMatch(/投诉已登记/)
    expect(await cases()).toBe(before)
  })

  it('handle a stored message (a WeCom callback) from the database’s state when another instance moved on', async () => {
    const first = botInstance(db.dataSource)
    const second = botInstance(await db.connectAgain())
    const stored = async (text: string) => {
      const before = first.channel.textsTo(ZHANG).length
      expect(await first.pipeline.store(message(ZHANG, text))).toBe('accepted')
      await first.pipeline.idle()
      await first.outbox.settle()
      return first.channel.textsTo(ZHANG).slice(before).join('\n')
    }
    expect(await stored('菜单')).toMatch(/请问需要办理什么/)
    expect(await stored('5')).toMatch(/您的客户大使/)
    expect(await stored('菜单')).toMatch(/请问需要办理什么/)
    // The owner starts a complaint through the second instance; at the menu 5 would name the
    // ambassador, in the complaint it picks the category 配套设施 and asks where.
    expect(await say(second, ZHANG, '1')).toMatch(/投诉/)
    const reply = await stored('5')
    expect(reply).not.toMatch(/您的客户大使/)
    expect(reply).toMatch(/问题发生在哪里/)
    const [{ pending }] = await db.dataSource.query(
      `SELECT count(*)::int AS pending FROM inbound_message WHERE status = 'pending'`,
    )
    expect(pending).toBe(0)
  })

  it('continue from the turn another instance took, not from the state this one remembers', async () => {
    const first = botInstance(db.dataSource)
    const second = botInstance(await db.connectAgain())
    // The first instance leaves the owner at the menu; the second starts a complaint from there.
    expect(await say(first, ZHANG, '菜单')).toMatch(/请问需要办理什么/)
    const complaintStart = await say(second, ZHANG, '1')
    expect(complaintStart).toMatch(/投诉/)
    // At the menu, 5 would name the ambassador; in the complaint it is no valid unit or category.
    const reply = await say(first, ZHANG, '5')
    expect(reply).not.toMatch(/您的客户大使/)
  })
})

async function seedAndBindAgain(): Promise<void> {
  await db.dataSource.query(
    `INSERT INTO channel_identity (channel, external_id, owner_id) SELECT 'test', $1, id FROM owner WHERE phone_key = $2`,
    [ZHANG, phoneKey('13800000001')],
  )
}
