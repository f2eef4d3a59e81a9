import type { DataSource } from 'typeorm'
import type { HealthProbe } from '../admin/routes/health.routes'

export function databaseHealth(dataSource: DataSource, kind: string): HealthProbe {
  return {
    async database() {
      const started = performance.now()
      try {
        await dataSource.query('SELECT 1')
        const pendingMigrations = await dataSource.showMigrations()
        return { status: 'up', kind, latencyMs: Math.round(performance.now() - started), pendingMigrations }
      } catch (error) {
        return { status: 'down', kind, error: error instanceof Error ? error.message : String(error) }
      }
    },
  }
}
