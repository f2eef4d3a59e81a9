import type { EntityManager } from 'typeorm'

/** The branch head for a project (one assigned to it, else any). */
export async function branchHeadFor(manager: EntityManager, projectId: number): Promise<number | null> {
  const rows: { id: number }[] = await manager.query(
    `SELECT id FROM ambassador WHERE role = 'branch_head' AND active
      ORDER BY (project_id = $1) DESC NULLS LAST, id LIMIT 1`,
    [projectId],
  )
  return rows[0]?.id ?? null
}

/** The group customer-relations centre: the escalation target of every branch. */
export async function groupCentreId(manager: Pick<EntityManager, 'query'>): Promise<number | null> {
  const rows: { id: number }[] = await manager.query(
    `SELECT id FROM ambassador WHERE role = 'group_centre' AND active ORDER BY id LIMIT 1`,
  )
  return rows[0]?.id ?? null
}

/** The household's current ambassador, as owners are shown them. */
export async function ambassadorOfHousehold(
  manager: Pick<EntityManager, 'query'>,
  householdId: number,
): Promise<{ id: number; name: string; phone: string; wecomUserId: string | null } | null> {
  const rows = await manager.query(
    `SELECT a.id, a.name, a.phone, a.wecom_user_id AS "wecomUserId"
       FROM ambassador_assignment aa JOIN ambassador a ON a.id = aa.ambassador_id
      WHERE aa.household_id = $1 AND aa.ended_at IS NULL`,
    [householdId],
  )
  return rows[0] ?? null
}

/** Queues a message to a staff member's WeCom account on `channel` (nothing for one without an account). */
export async function queueToStaffMember(
  manager: Pick<EntityManager, 'query'>,
  channel: string,
  staffId: number,
  payload: object,
): Promise<void> {
  await manager.query(
    `INSERT INTO outbox (channel, recipient, payload)
     SELECT $1, wecom_user_id, $3::jsonb FROM ambassador WHERE id = $2 AND wecom_user_id IS NOT NULL`,
    [channel, staffId, JSON.stringify(payload)],
  )
}

/** Queues a message to a WeCom account directly. */
export async function queueToAccount(
  manager: Pick<EntityManager, 'query'>,
  channel: string,
  recipient: string,
  payload: object,
): Promise<void> {
  await manager.query(`INSERT INTO outbox (channel, recipient, payload) VALUES ($1, $2, $3)`, [
    channel,
    recipient,
    JSON.stringify(payload),
  ])
}

/** A staff member's supervisor's WeCom account, if any. */
export async function supervisorAccountOf(
  db: Pick<EntityManager, 'query'>,
  staffId: number,
): Promise<string | null> {
  const [row] = await db.query(
    `SELECT s.wecom_user_id FROM ambassador a JOIN ambassador s ON s.id = a.supervisor_id WHERE a.id = $1`,
    [staffId],
  )
  return row?.wecom_user_id ?? null
}

/** An active staff member's id by WeCom account. */
export async function activeStaffIdByAccount(
  db: Pick<EntityManager, 'query'>,
  wecomUserId: string,
): Promise<number | null> {
  const [row] = await db.query(`SELECT id FROM ambassador WHERE wecom_user_id = $1 AND active`, [wecomUserId])
  return row?.id ?? null
}

/** A project's branch and name. */
export async function projectInfo(
  db: Pick<EntityManager, 'query'>,
  projectId: number,
): Promise<{ name: string; branch: string | null } | null> {
  const [row] = await db.query(`SELECT name, branch FROM project WHERE id = $1`, [projectId])
  return row ?? null
}

/** A staff member's supervisor, if any. */
export async function supervisorOf(
  db: Pick<EntityManager, 'query'>,
  staffId: number | null,
): Promise<{ id: number; name: string } | null> {
  const [row] = await db.query(
    `SELECT s.id, s.name FROM ambassador a JOIN ambassador s ON s.id = a.supervisor_id WHERE a.id = $1`,
    [staffId],
  )
  return row ?? null
}
