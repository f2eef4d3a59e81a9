import { loadConfig } from './src/config'
import { createDataSource } from './src/db/data-source'

/**
 * The one DataSource for the TypeORM CLI (`npm run migration:run` …). With DATABASE_URL unset it points
 * at the embedded server, which runs while `npm start` does.
 */
const config = loadConfig()
const url =
  config.database.kind === 'external'
    ? config.database.url
    : `postgres://postgres:anju-embedded@127.0.0.1:${config.database.port}/anju`

export default createDataSource(url, 2)
