/**
 * Runs an embedded PostgreSQL in its own process for tests that must stop and restart a server (Jest's
 * sandbox cannot load the ESM-only package). Prints its URLs as one JSON line once ready; stops the
 * server on SIGTERM.
 * Usage: node --import tsx test/support/embedded-pg-process.ts DATA_DIR PORT
 */
import { startEmbeddedDatabase } from '../../src/db/embedded'

const [dataDir, port] = process.argv.slice(2)
startEmbeddedDatabase({ dataDir, port: Number(port) })
  .then((db) => {
    process.stdout.write(`${JSON.stringify({ url: db.url, adminUrl: db.adminUrl })}\n`)
    process.once('SIGTERM', () => void db.stop().then(() => process.exit(0)))
  })
  .catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`)
    process.exit(1)
  })
