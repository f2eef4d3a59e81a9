import type { DataSource, EntityManager } from 'typeorm'
import { phoneLookupKey, sealPhone } from '../domain/phone-vault'

/** Which of these branch names are branches. */
export async function knownBranches(db: Pick<EntityManager, 'query'>, names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set()
  const rows: { name: string }[] = await db.query(`SELECT name FROM branch WHERE name = ANY($1)`, [names])
  return new Set(rows.map((row) => row.name))
}

/** Which of these WeCom accounts belong to active staff. */
export async function activeStaffAccounts(
  db: Pick<EntityManager, 'query'>,
  accounts: string[],
): Promise<Set<string>> {
  if (accounts.length === 0) return new Set()
  const rows: { wecom_user_id: string }[] = await db.query(
    `SELECT wecom_user_id FROM ambassador WHERE wecom_user_id = ANY($1) AND active`,
    [accounts],
  )
  return new Set(rows.map((row) => row.wecom_user_id))
}

/**
 * Writes checked import rows — projects, buildings, units, households, owners, and an ambassador for
 * households without one — in one transaction, set-based, idempotent by natural keys.
 */
export async function writeCustomerRows(dataSource: DataSource, rows: { phone: string }[]): Promise<void> {
  // Phone numbers are stored sealed and found by their keyed hash, never as plain text.
  const json = JSON.stringify(
    rows.map((row) => ({
      ...row,
      phone: undefined,
      phone_enc: sealPhone(row.phone),
      phone_key: phoneLookupKey(row.phone),
    })),
  )
  const input = `jsonb_to_recordset($1::jsonb) AS r(project_code text, project_name text, building text, room text,
    delivered_on date, household_code text, stage text, customer_class text, owner_name text, phone_enc text, phone_key text,
    relation text, ambassador text, branch text)`
  await dataSource.transaction(async (m) => {
    await m.query(
      `INSERT INTO project (code, name, branch)
       SELECT DISTINCT ON (project_code) project_code, project_name, NULLIF(branch, '') FROM ${input}
        ORDER BY project_code, branch NULLS LAST
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, branch = COALESCE(EXCLUDED.branch, project.branch)`,
      [json],
    )
    await m.query(
      `INSERT INTO building (project_id, name)
       SELECT DISTINCT p.id, r.building FROM ${input} JOIN project p ON p.code = r.project_code
       ON CONFLICT (project_id, name) DO NOTHING`,
      [json],
    )
    await m.query(
      `INSERT INTO unit (building_id, room_no, delivered_on)
       SELECT DISTINCT ON (b.id, r.room) b.id, r.room, r.delivered_on
         FROM ${input} JOIN project p ON p.code = r.project_code JOIN building b ON b.project_id = p.id AND b.name = r.building
        ORDER BY b.id, r.room, r.delivered_on DESC NULLS LAST
       ON CONFLICT (building_id, room_no) DO UPDATE SET delivered_on = COALESCE(EXCLUDED.delivered_on, unit.delivered_on)`,
      [json],
    )
    await m.query(
      `INSERT INTO household (code, stage, customer_class)
       SELECT DISTINCT ON (household_code) household_code, COALESCE(stage, '准业主'), COALESCE(customer_class, '业主')
         FROM ${input}
       ON CONFLICT (code) DO UPDATE SET stage = EXCLUDED.stage, customer_class = EXCLUDED.customer_class`,
      [json],
    )
    await m.query(
      `INSERT INTO household_unit (household_id, unit_id)
       SELECT DISTINCT h.id, u.id FROM ${input}
         JOIN household h ON h.code = r.household_code
         JOIN project p ON p.code = r.project_code
         JOIN building b ON b.project_id = p.id AND b.name = r.building
         JOIN unit u ON u.building_id = b.id AND u.room_no = r.room
       ON CONFLICT DO NOTHING`,
      [json],
    )
    await m.query(
      `INSERT INTO owner (household_id, name, phone_enc, phone_key, relation)
       SELECT DISTINCT ON (h.id, r.phone_key) h.id, r.owner_name, r.phone_enc, r.phone_key, COALESCE(r.relation, '本人')
         FROM ${input} JOIN household h ON h.code = r.household_code
       ON CONFLICT (household_id, phone_key) DO UPDATE SET name = EXCLUDED.name, relation = EXCLUDED.relation`,
      [json],
    )
    // A household keeps its ambassador; the file only fills in one for households without.
    await m.query(
      `INSERT INTO ambassador_assignment (household_id, ambassador_id, reason)
       SELECT DISTINCT ON (h.id) h.id, a.id, 'import'
         FROM ${input} JOIN household h ON h.code = r.household_code JOIN ambassador a ON a.wecom_user_id = r.ambassador
        WHERE NOT EXISTS (SELECT 1 FROM ambassador_assignment x WHERE x.household_id = h.id AND x.ended_at IS NULL)
       ON CONFLICT DO NOTHING`,
      [json],
    )
  })
}
