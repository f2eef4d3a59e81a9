import type { EntityManager } from 'typeorm'

/** How a unit is named to people: "翠湖花园 3栋 1201" (project p, building b, unit u). */
export const UNIT_LABEL_SQL = `p.name || ' ' || b.name || ' ' || u.room_no`

/** A unit's label by id, or null. */
export async function unitLabel(db: Pick<EntityManager, 'query'>, unitId: number): Promise<string | null> {
  const [row] = await db.query(
    `SELECT ${UNIT_LABEL_SQL} AS label FROM unit u JOIN building b ON b.id = u.building_id
       JOIN project p ON p.id = b.project_id WHERE u.id = $1`,
    [unitId],
  )
  return row?.label ?? null
}
