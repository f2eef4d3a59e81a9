import type { DataSource, EntityManager } from 'typeorm'
import { shanghaiClock, shanghaiInstant } from '../domain/working-time'
import { seedKnowledge } from './seed-knowledge'
import { phoneLookupKey, sealPhone } from '../domain/phone-vault'

/**
 * Demo data for `npm start`: one project, a few households and the staff around them. Idempotent: every
 * row is keyed by a natural key, so running it again changes nothing.
 */
export const DEMO = {
  projectCode: 'CUIHU',
  consoleOwnerPhone: '13800000001',
} as const

const PROJECT = { code: DEMO.projectCode, name: '翠湖花园', city: '杭州', branch: '杭州分公司' }

const STAFF = [
  { key: 'group', name: '集团客户关系中心', role: 'group_centre', wecom: 'kfzx', phone: '4008000000' },
  { key: 'head', name: '周建国', role: 'branch_head', wecom: 'zhoujianguo', phone: '13900000010' },
  {
    key: 'lead',
    name: '陈静',
    role: 'supervisor',
    wecom: 'chenjing',
    phone: '13900000011',
    supervisor: 'head',
  },
  { key: 'lina', name: '李娜', role: 'ambassador', wecom: 'lina', phone: '13900000001', supervisor: 'lead' },
  {
    key: 'wq',
    name: '王强',
    role: 'ambassador',
    wecom: 'wangqiang',
    phone: '13900000002',
    supervisor: 'lead',
  },
] as const

const HOUSEHOLDS = [
  {
    code: 'CUIHU-H0001',
    stage: '磨合期',
    units: [
      ['3栋', '1201', '2025-06-30'],
      ['1栋', '101', '2025-06-30'],
    ],
    people: [
      { name: '张三', phone: DEMO.consoleOwnerPhone, relation: '本人' },
      { name: '李梅', phone: '13800000002', relation: '配偶' },
    ],
    ambassador: 'lina',
  },
  {
    code: 'CUIHU-H0002',
    stage: '准业主',
    units: [['2栋', '502', null]],
    people: [{ name: '王五', phone: '13800000003', relation: '本人' }],
    ambassador: 'wq',
  },
  {
    code: 'CUIHU-H0003',
    stage: '稳定期',
    units: [['2栋', '801', '2022-12-20']],
    people: [{ name: '赵六', phone: '13800000004', relation: '本人' }],
    ambassador: 'lina',
  },
] as const

const LETTERS = [
  {
    title: '翠湖花园二期 10月工程进度告知函',
    body: '尊敬的业主：二期 2栋、5栋主体结构已全部封顶，外立面施工完成 60%。园林景观将于 12 月开始施工。预计交付时间不变。如有疑问请联系您的客户大使。',
    publishedAt: '2026-10-25T10:00:00+08:00',
  },
  {
    title: '翠湖花园二期 11月工程进度告知函',
    body: '尊敬的业主：外立面施工完成 90%，室内精装修进入收尾阶段，地下车库完成地坪施工。本月起每周六开放工地参观，请提前向客户大使预约。',
    publishedAt: '2026-11-20T10:00:00+08:00',
  },
] as const

async function idOf(manager: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const rows: { id: number }[] = await manager.query(sql, params)
  return rows[0].id
}

export async function seedDemo(dataSource: DataSource, consoleExternalId: string, now: Date): Promise<void> {
  await dataSource.transaction(async (m) => {
    await m.query(`INSERT INTO branch (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [PROJECT.branch])
    const projectId = await idOf(
      m,
      `INSERT INTO project (code, name, city, branch) VALUES ($1, $2, $3, $4)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [PROJECT.code, PROJECT.name, PROJECT.city, PROJECT.branch],
    )

    const staffIds = new Map<string, number>()
    for (const person of STAFF) {
      const supervisorId = 'supervisor' in person ? staffIds.get(person.supervisor) : null
      staffIds.set(
        person.key,
        await idOf(
          m,
          `INSERT INTO ambassador (name, wecom_user_id, phone, project_id, role, supervisor_id)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (wecom_user_id) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
          [person.name, person.wecom, person.phone, projectId, person.role, supervisorId],
        ),
      )
    }

    for (const household of HOUSEHOLDS) {
      const householdId = await idOf(
        m,
        `INSERT INTO household (code, stage) VALUES ($1, $2)
         ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code RETURNING id`,
        [household.code, household.stage],
      )
      for (const [building, room, deliveredOn] of household.units) {
        const buildingId = await idOf(
          m,
          `INSERT INTO building (project_id, name) VALUES ($1, $2)
           ON CONFLICT (project_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
          [projectId, building],
        )
        const unitId = await idOf(
          m,
          `INSERT INTO unit (building_id, room_no, delivered_on) VALUES ($1, $2, $3)
           ON CONFLICT (building_id, room_no) DO UPDATE SET room_no = EXCLUDED.room_no RETURNING id`,
          [buildingId, room, deliveredOn],
        )
        await m.query(`INSERT INTO household_unit VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
          householdId,
          unitId,
        ])
      }
      for (const person of household.people) {
        await m.query(
          `INSERT INTO owner (household_id, name, phone_enc, phone_key, relation) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (household_id, phone_key) DO NOTHING`,
          [householdId, person.name, sealPhone(person.phone), phoneLookupKey(person.phone), person.relation],
        )
      }
      await m.query(
        `INSERT INTO ambassador_assignment (household_id, ambassador_id, reason)
         SELECT $1, $2, '演示数据' WHERE NOT EXISTS
           (SELECT 1 FROM ambassador_assignment WHERE household_id = $1 AND ended_at IS NULL)`,
        [householdId, staffIds.get(household.ambassador)],
      )
    }

    // Repair visits for the coming week: mornings and afternoons, two teams each.
    for (let day = 1; day <= 7; day += 1) {
      const ymd = shanghaiClock(new Date(now.getTime() + day * 86_400_000)).ymd
      for (const [from, to] of [
        [9 * 60, 12 * 60],
        [14 * 60, 17 * 60],
      ]) {
        await m.query(
          `INSERT INTO repair_slot (project_id, starts_at, ends_at, capacity) VALUES ($1, $2, $3, 2)
           ON CONFLICT (project_id, team_id, starts_at) DO NOTHING`,
          [projectId, shanghaiInstant(ymd, from), shanghaiInstant(ymd, to)],
        )
      }
    }

    for (const letter of LETTERS) {
      await m.query(
        `INSERT INTO letter (kind, project_id, title, body, created_by, published_at)
         SELECT 'progress', $1, $2, $3, '工程部', $4
          WHERE NOT EXISTS (SELECT 1 FROM letter WHERE project_id = $1 AND title = $2)`,
        [projectId, letter.title, letter.body, letter.publishedAt],
      )
    }

    await seedKnowledge(m, projectId, now)

    // The console chats as 张三, who owns two units.
    await m.query(
      `INSERT INTO channel_identity (channel, external_id, owner_id)
       SELECT 'console', $1, id FROM owner WHERE phone_key = $2
       ON CONFLICT (channel, external_id) DO NOTHING`,
      [consoleExternalId, phoneLookupKey(DEMO.consoleOwnerPhone)],
    )
  })
}
