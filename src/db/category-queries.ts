import type { EntityManager } from 'typeorm'
import type { CategoryKind, ServiceCategory } from '../domain/categories'
import { queryRows } from './sql'

type Db = Pick<EntityManager, 'query'>

const COLUMNS = `id, kind, name, warranty_months AS "warrantyMonths", statutory_months AS "statutoryMonths",
  major_works AS "majorWorks", emergency, active, position`

/** A kind's categories in the order owners see them; the retired ones only when asked for. */
export function listCategories(
  db: Db,
  filter: { kind?: CategoryKind; includeRetired?: boolean } = {},
): Promise<ServiceCategory[]> {
  return queryRows<ServiceCategory>(
    db,
    `SELECT ${COLUMNS} FROM service_category
      WHERE ($1::text IS NULL OR kind = $1) AND ($2 OR active)
      ORDER BY kind DESC, position, id`,
    [filter.kind ?? null, filter.includeRetired ?? false],
  )
}

export async function categoryByName(
  db: Db,
  kind: CategoryKind,
  name: string,
): Promise<ServiceCategory | null> {
  const [row] = await queryRows<ServiceCategory>(
    db,
    `SELECT ${COLUMNS} FROM service_category WHERE kind = $1 AND name = $2`,
    [kind, name],
  )
  return row ?? null
}

export async function categoryById(db: Db, id: number): Promise<ServiceCategory | null> {
  const [row] = await queryRows<ServiceCategory>(
    db,
    `SELECT ${COLUMNS} FROM service_category WHERE id = $1`,
    [id],
  )
  return row ?? null
}

/** A new category; null when the kind has one of that name. */
export async function insertCategory(
  db: Db,
  category: Omit<ServiceCategory, 'id' | 'statutoryMonths' | 'active'>,
) {
  const [row] = await queryRows<{ id: number }>(
    db,
    `INSERT INTO service_category (kind, name, warranty_months, major_works, emergency, position)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kind, name) DO NOTHING RETURNING id`,
    [
      category.kind,
      category.name,
      category.warrantyMonths,
      category.majorWorks,
      category.emergency,
      category.position,
    ],
  )
  return row?.id ?? null
}

/** Writes a category's changeable fields (the caller has checked them against the rules). */
export async function updateCategory(db: Db, category: ServiceCategory): Promise<void> {
  await db.query(
    `UPDATE service_category SET name = $2, warranty_months = $3, major_works = $4, emergency = $5, active = $6,
            position = $7 WHERE id = $1`,
    [
      category.id,
      category.name,
      category.warrantyMonths,
      category.majorWorks,
      category.emergency,
      category.active,
      category.position,
    ],
  )
}
