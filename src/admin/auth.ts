import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import type { DataSource } from 'typeorm'

export const STAFF_ROLES = ['admin', 'group_centre', 'branch_head', 'ambassador', 'letter_staff'] as const
export type StaffRoleName = (typeof STAFF_ROLES)[number]

export interface StaffPrincipal {
  tokenId: number
  name: string
  role: StaffRoleName
  /** The ambassador row of an ambassador (or branch head) token: what scopes their view. */
  ambassadorId: number | null
}

/** Only the hash is stored: a leaked table gives no working token. */
export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex')

export const newToken = () => `anju_${randomBytes(24).toString('base64url')}`

export async function principalFor(dataSource: DataSource, token: string): Promise<StaffPrincipal | null> {
  const rows: StaffPrincipal[] = await dataSource.query(
    // A token acting as a staff member ends the moment that member leaves (is made inactive).
    `SELECT t.id AS "tokenId", t.name, t.role, t.ambassador_id AS "ambassadorId"
       FROM staff_token t LEFT JOIN ambassador a ON a.id = t.ambassador_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.ambassador_id IS NULL OR a.active)`,
    [hashToken(token)],
  )
  return rows[0] ?? null
}

export async function issueToken(
  dataSource: DataSource,
  grant: { name: string; role: StaffRoleName; ambassadorId?: number | null },
  token: string = newToken(),
): Promise<string> {
  await dataSource.query(
    `INSERT INTO staff_token (name, role, ambassador_id, token_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT (token_hash) DO NOTHING`,
    [grant.name, grant.role, grant.ambassadorId ?? null, hashToken(token)],
  )
  return token
}

/** Where the first admin token came from: the environment, the demo's file, or minted now (shown once). */
export type BootstrapToken =
  | { token: string; source: 'ADMIN_TOKEN' }
  | { token: string; source: 'file'; file: string }
  | { token: string; source: 'minted' }
  | { token: null; source: 'database' }

/**
 * The first admin token. ADMIN_TOKEN when set. The demo (embedded database, not production) keeps one in
 * DATA_DIR/admin-token, readable only by its owner. Otherwise a token is minted once for the whole
 * installation — under a lock, so that instances starting together mint one — and shown once; later
 * starts find it in the database (only its hash) and print nothing.
 */
export async function bootstrapAdminToken(
  dataSource: DataSource,
  configured: string | null,
  demoFileIn: string | null,
): Promise<BootstrapToken> {
  if (configured) {
    await issueToken(dataSource, { name: 'bootstrap admin', role: 'admin' }, configured)
    return { token: configured, source: 'ADMIN_TOKEN' }
  }
  if (demoFileIn) {
    const file = path.join(demoFileIn, 'admin-token')
    const token = existsSync(file) ? readFileSync(file, 'utf8').trim() : newToken()
    if (!existsSync(file)) {
      mkdirSync(demoFileIn, { recursive: true })
      writeFileSync(file, `${token}\n`, { mode: 0o600 })
    }
    await issueToken(dataSource, { name: 'demo admin', role: 'admin' }, token)
    return { token, source: 'file', file }
  }
  return dataSource.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('anju.bootstrap-admin'))`)
    const [existing] = await manager.query(
      `SELECT 1 FROM staff_token WHERE role = 'admin' AND revoked_at IS NULL LIMIT 1`,
    )
    if (existing) return { token: null, source: 'database' } as const
    const token = newToken()
    await manager.query(
      `INSERT INTO staff_token (name, role, token_hash) VALUES ('bootstrap admin', 'admin', $1)`,
      [hashToken(token)],
    )
    return { token, source: 'minted' } as const
  })
}
