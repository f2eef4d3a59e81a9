import 'reflect-metadata'
import { DataSource, type DataSourceOptions } from 'typeorm'
import { migrations } from '../../migrations'

export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    // No entities: SQL lives in the query modules (src/db) and services; TypeORM keeps the data
    // source, the migrations and the CLI.
    entities: [],
    migrations,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    poolSize,
    // Every session speaks Shanghai time so that date_trunc and reports match what staff expect.
    extra: { options: '-c timezone=Asia/Shanghai', connectionTimeoutMillis: 10_000 },
  }
}

export function createDataSource(url: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize))
}
