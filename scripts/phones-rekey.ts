/**
 * After PHONE_LOOKUP_KEY changed: recomputes every owner's lookup hash (and re-seals every number with
 * the current PHONE_KEYS key). Run once with the new keys set, before or after restarting the app.
 */
import { loadConfig } from '../src/config'
import { createDataSource } from '../src/db/data-source'
import { rekeyPhones } from '../src/services/households/phone-rekey'

async function main() {
  const config = loadConfig(process.env)
  if (config.database.kind !== 'external') throw new Error('set DATABASE_URL to the database to re-key')
  const dataSource = createDataSource(config.database.url)
  await dataSource.initialize()
  try {
    console.log(await rekeyPhones(dataSource, config.phoneKeys, { lookup: true }))
  } finally {
    await dataSource.destroy()
  }
}

void main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
