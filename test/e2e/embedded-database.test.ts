import { chmod, mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Client } from 'pg'
import { createDataSource } from '../../src/db/data-source'
import { startEmbeddedServer, type EmbeddedServer } from '../support/embedded-server'
import { serverPort } from '../support/ports'

/**
 * The embedded PostgreSQL of `npm start` listens on loopback, where every local user can knock: it must
 * not open with a password anyone can read in the source, and the app must not hold superuser powers.
 */
const query = async (url: string, sql: string) => {
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(sql)).rows
  } finally {
    await client.end()
  }
}
const withPassword = (url: string, password: string) => {
  const parsed = new URL(url)
  parsed.password = password
  return parsed.toString()
}

describe('the embedded PostgreSQL', () => {
  let dir: string
  let server: EmbeddedServer
  let port: number

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'anju-embedded-'))
    await chmod(dir, 0o755)
    port = await serverPort()
    server = await startEmbeddedServer(path.join(dir, 'pg'), port)
  }, 90_000)
  afterAll(async () => {
    await server?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('has passwords of its own, readable by its owner only', async () => {
    const secretsFile = path.join(dir, 'postgres-secrets.json')
    expect((await stat(secretsFile)).mode & 0o777).toBe(0o600)
    const secrets = JSON.parse(await readFile(secretsFile, 'utf8'))
    expect(secrets.superuser).toHaveLength(32)
    expect(secrets.superuser).not.toBe(secrets.app)
    await expect(query(withPassword(server.adminUrl, 'anju-embedded'), 'SELECT 1')).rejects.toThrow(
      /password authentication failed/,
    )
  })

  it('gives the app a role that owns its database and cannot run programs or empty the records', async () => {
    const [me] = await query(
      server.url,
      `SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user`,
    )
    expect(me).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false })
    await expect(query(server.url, `COPY (SELECT 1) TO PROGRAM 'id'`)).rejects.toThrow(
      /permission denied|must be superuser|privileges/,
    )
    const dataSource = createDataSource(server.url, 1)
    await dataSource.initialize()
    try {
      await dataSource.runMigrations({ transaction: 'each' })
      await expect(dataSource.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/)
      await expect(dataSource.query(`TRUNCATE case_event CASCADE`)).rejects.toThrow(/append-only/)
    } finally {
      await dataSource.destroy()
    }
  }, 60_000)

  it('takes over a data directory from before: new password, and its tables handed to the app role', async () => {
    // Put the directory back as older versions left it: everything the superuser's, the fixed password.
    await query(
      server.adminUrl.replace(/\/postgres$/, '/anju'),
      `DO $$ DECLARE t record; BEGIN
         FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
           EXECUTE format('ALTER TABLE public.%I OWNER TO postgres', t.tablename); END LOOP; END $$`,
    )
    await query(server.adminUrl, `ALTER DATABASE anju OWNER TO postgres`)
    await query(server.adminUrl, `ALTER ROLE postgres PASSWORD 'anju-embedded'`)
    await server.stop()
    await unlink(path.join(dir, 'postgres-secrets.json'))

    server = await startEmbeddedServer(path.join(dir, 'pg'), port)
    await expect(query(withPassword(server.adminUrl, 'anju-embedded'), 'SELECT 1')).rejects.toThrow(
      /password authentication failed/,
    )
    const owners = await query(
      server.url,
      `SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`,
    )
    expect(owners).toEqual([{ tableowner: 'anju' }])
    await query(
      server.url,
      `INSERT INTO audit_log (actor, action, subject_type, subject_id) VALUES ('t', 't', 't', 't')`,
    )
  }, 90_000)
})
