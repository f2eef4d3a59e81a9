import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import type { DataSource } from 'typeorm'
import { activeToken, hasActiveAdminToken, lockBootstrap, storeToken } from '../db/staff-tokens'

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

/** The staff member a bearer token belongs to; a token ends the moment its staff member leaves. */
export async function principalFor(dataSource: DataSource, token: string): Promise<StaffPrincipal | null> {
  return (await activeToken(dataSource, hashToken(token))) as StaffPrincipal | null
}

export async function issueToken(
  dataSource: DataSource,
  grant: { name: string; role: StaffRoleName; ambassadorId?: number | null },
  token: string = newToken(),
): Promise<string> {
  await storeToken(dataSource, { ...grant, ambassadorId: grant.ambassadorId ?? null }, hashToken(token))
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
    await lockBootstrap(manager)
    if (await hasActiveAdminToken(manager)) return { token: null, source: 'database' } as const
    const token = newToken()
    await storeToken(
      manager,
      { name: 'bootstrap admin', role: 'admin', ambassadorId: null },
      hashToken(token),
    )
    return { token, source: 'minted' } as const
  })
}
