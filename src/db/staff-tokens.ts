import type { EntityManager } from 'typeorm'
import { AMBASSADOR_IN_SCOPE, scopeParams, type StaffScope } from './access'
import { queryRows } from './sql'

type Db = Pick<EntityManager, 'query'>

export interface TokenRow {
  tokenId: number
  name: string
  role: string
  ambassadorId: number | null
}

/** The token with this hash, if it is not revoked and the staff member it acts for has not left. */
export async function activeToken(db: Db, tokenHash: string): Promise<TokenRow | null> {
  const rows: TokenRow[] = await db.query(
    `SELECT t.id AS "tokenId", t.name, t.role, t.ambassador_id AS "ambassadorId"
       FROM staff_token t LEFT JOIN ambassador a ON a.id = t.ambassador_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.ambassador_id IS NULL OR a.active)`,
    [tokenHash],
  )
  return rows[0] ?? null
}

/** Stores a token (its hash); a token already stored is left as it is. Returns its id. */
export async function storeToken(
  db: Db,
  grant: { name: string; role: string; ambassadorId: number | null },
  tokenHash: string,
): Promise<number> {
  const [row] = await db.query(
    `INSERT INTO staff_token (name, role, ambassador_id, token_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT (token_hash) DO UPDATE SET token_hash = EXCLUDED.token_hash RETURNING id`,
    [grant.name, grant.role, grant.ambassadorId, tokenHash],
  )
  return row.id
}

/** Tokens of staff in the scope (the group's: all, including admin tokens that name no staff member). */
export function listTokens(db: Db, scope: StaffScope) {
  return db.query(
    `SELECT id, name, role, ambassador_id AS "ambassadorId", created_at AS "createdAt", revoked_at AS "revokedAt"
       FROM staff_token
      WHERE $1::text = 'all' OR (ambassador_id IS NOT NULL AND ${AMBASSADOR_IN_SCOPE('ambassador_id', 1)})
      ORDER BY id`,
    scopeParams(scope),
  )
}

/** Revokes an active token of a staff member in the scope; false when there is none such. */
export async function revokeToken(db: Db, id: number, at: Date, scope: StaffScope): Promise<boolean> {
  const rows = await queryRows(
    db,
    `UPDATE staff_token SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL
        AND ($3::text = 'all' OR (ambassador_id IS NOT NULL AND ${AMBASSADOR_IN_SCOPE('ambassador_id', 3)}))
     RETURNING id`,
    [id, at, ...scopeParams(scope)],
  )
  return rows.length > 0
}

export async function hasActiveAdminToken(db: Db): Promise<boolean> {
  return (
    (await db.query(`SELECT 1 FROM staff_token WHERE role = 'admin' AND revoked_at IS NULL LIMIT 1`)).length >
    0
  )
}

/** An active staff member by id, or by WeCom account. */
export async function activeStaff(
  db: Db,
  by: { id: number } | { wecomUserId: string },
): Promise<{ id: number; name: string; role: string } | null> {
  const [row] =
    'id' in by
      ? await db.query(`SELECT id, name, role FROM ambassador WHERE id = $1 AND active`, [by.id])
      : await db.query(`SELECT id, name, role FROM ambassador WHERE wecom_user_id = $1 AND active`, [
          by.wecomUserId,
        ])
  return row ?? null
}

/** Instances starting together mint one bootstrap admin token between them. */
export async function lockBootstrap(db: Db): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('anju.bootstrap-admin'))`)
}
