import { loadConfig } from './src/config'
import { createDataSource } from './src/db/data-source'
import { embeddedAppUrl } from './src/db/embedded'

/**
 * The one DataSource for the TypeORM CLI (`npm run migration:run` …). With DATABASE_URL unset it points
 * at the embedded server (its own password, from DATA_DIR), which runs while `npm start` does.
 */
const config = loadConfig()
const url =
  config.database.kind === 'external'
    ? config.database.url
    : embeddedAppUrl(config.database.dataDir, config.database.port)

export default createDataSource(url, 2)
