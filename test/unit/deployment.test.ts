import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'

/**
 * The container files, checked as far as this machine can (it has no Docker engine to build them): the
 * shape an operator relies on — stages, user, health check, what is copied, the compose services.
 */
const root = path.resolve(__dirname, '../..')
const read = (file: string) => readFileSync(path.join(root, file), 'utf8')

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile')
  const stages = dockerfile.split(/^FROM /m).slice(1)

  it('builds in one stage and runs from another, on production dependencies only, not as root', () => {
    expect(stages).toHaveLength(2)
    expect(stages[0]).toMatch(/npm run build && npm prune --omit=dev/)
    const runtime = stages[1]
    expect(runtime).toMatch(/^USER node$/m)
    expect(runtime).toMatch(/COPY --from=build --chown=node:node \/app\/node_modules/)
    expect(runtime).not.toMatch(/npm (ci|install)/)
    expect(runtime).toMatch(/NODE_ENV=production/)
    expect(runtime).toMatch(/CMD \["node", "dist\/src\/main\.js"\]/)
    expect(runtime).toMatch(/HEALTHCHECK[\s\S]*\/livez/)
  })

  it('copies only what exists, and what the build needs', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(/\s+/))
    for (const source of sources)
      expect({ source, exists: existsSync(path.join(root, source)) }).toEqual({ source, exists: true })
    for (const needed of ['src', 'migrations', 'scripts', 'package-lock.json', 'tsconfig.build.json'])
      expect(sources).toContain(needed)
  })
})

describe('compose.yaml', () => {
  const compose = parse(read('compose.yaml'), { merge: true }) as {
    services: Record<string, Record<string, any>> // eslint-disable-line @typescript-eslint/no-explicit-any
    volumes: Record<string, unknown>
  }

  it('keeps PostgreSQL on a named volume with a health check, and starts Anju once it is healthy', () => {
    const { postgres, anju } = compose.services
    expect(postgres.volumes).toEqual(['pgdata:/var/lib/postgresql/data'])
    expect(compose.volumes).toHaveProperty('pgdata')
    expect(postgres.healthcheck.test.join(' ')).toMatch(/pg_isready/)
    expect(anju.depends_on).toEqual({ postgres: { condition: 'service_healthy' } })
    expect(anju.environment).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0' })
    expect(anju.environment.DATABASE_URL).toMatch(/@postgres:5432\/anju$/)
    expect(anju.environment.METRICS_TOKEN).toMatch(/:\?/) // required: compose refuses to start without it
  })

  it('has a profile with a second instance on the same database', () => {
    const second = compose.services['anju-2']
    expect(second.profiles).toEqual(['scale'])
    expect(second.environment.DATABASE_URL).toBe(compose.services.anju.environment.DATABASE_URL)
    expect(second.ports).not.toEqual(compose.services.anju.ports)
  })
})
