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

/**
 * The bootstrap admin token: ADMIN_TOKEN when set; otherwise (the demo) one generated once and kept in
 * DATA_DIR/admin-token, readable only by its owner. Returns the token and where it came from.
 */
export async function bootstrapAdminToken(
  dataSource: DataSource,
  configured: string | null,
  dataDir: string,
): Promise<{ token: string; source: 'ADMIN_TOKEN' | string }> {
  if (configured) {
    await issueToken(dataSource, { name: 'bootstrap admin', role: 'admin' }, configured)
    return { token: configured, source: 'ADMIN_TOKEN' }
  }
  const file = path.join(dataDir, 'admin-token')
  const token = existsSync(file) ? readFileSync(file, 'utf8').trim() : newToken()
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(file, `${token}\n`, { mode: 0o600 })
  }
  await issueToken(dataSource, { name: 'demo admin', role: 'admin' }, token)
  return { token, source: file }
}
