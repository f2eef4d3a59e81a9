import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const root = path.resolve(__dirname, '../../..')
const depcruise = path.join(root, 'node_modules', '.bin', 'depcruise')

/** Runs the project's layer rules (.dependency-cruiser.cjs) over a tree; resolves with what it printed. */
async function cruise(cwd: string, config: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(depcruise, ['src', '--config', config], { cwd })
    return { code: 0, output: stdout }
  } catch (error) {
    const failed = error as { code: number; stdout: string }
    return { code: failed.code, output: failed.stdout }
  }
}

describe('the layer rules', () => {
  it('pass on the project as it is', async () => {
    const { code, output } = await cruise(root, '.dependency-cruiser.cjs')
    expect(output).toMatch(/no dependency violations found/)
    expect(code).toBe(0)
  }, 60_000)

  it('fail on a domain rule that reaches the database, on a cycle, and on a service that calls an endpoint', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'anju-layers-'))
    try {
      const file = async (name: string, text: string) => {
        await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
        await writeFile(path.join(dir, name), text)
      }
      await file('src/db/store.ts', `import { rule } from '../domain/rule'\nexport const store = rule\n`)
      await file(
        'src/domain/rule.ts',
        `import { store } from '../db/store'\nexport const rule = () => store\n`,
      )
      await file('src/admin/endpoint.ts', `export const endpoint = 1\n`)
      await file(
        'src/services/use-case.ts',
        `import { endpoint } from '../admin/endpoint'\nexport const useCase = endpoint\n`,
      )
      // The project's rules, without its tsconfig (the scratch tree has none).
      await file(
        'rules.cjs',
        `const rules = require(${JSON.stringify(path.join(root, '.dependency-cruiser.cjs'))})\n` +
          `module.exports = { ...rules, options: { ...rules.options, tsConfig: undefined } }\n`,
      )
      const { code, output } = await cruise(dir, 'rules.cjs')
      expect(code).not.toBe(0)
      expect(output).toMatch(/domain-is-pure: src\/domain\/rule\.ts → src\/db\/store\.ts/)
      expect(output).toMatch(/no-circular/)
      expect(output).toMatch(
        /services-below-adapters: src\/services\/use-case\.ts → src\/admin\/endpoint\.ts/,
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 60_000)
})

describe('where SQL is written', () => {
  it('only in the query modules: never in services, endpoints, jobs, the console and sidebar, channel wiring', () => {
    const { readdirSync, readFileSync, statSync } = jest.requireActual<typeof import('node:fs')>('node:fs')
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const file = path.join(dir, name)
        return statSync(file).isDirectory() ? files(file) : file.endsWith('.ts') ? [file] : []
      })
    const adapters = [
      ...files(path.join(root, 'src/services')),
      ...files(path.join(root, 'src/admin')),
      ...files(path.join(root, 'src/jobs')),
      ...files(path.join(root, 'src/channels/console')),
      ...files(path.join(root, 'src/channels/wechaty')),
      path.join(root, 'src/channels/module.ts'),
      path.join(root, 'src/channels/wecom/index.ts'),
      path.join(root, 'src/channels/wecom/wiring.ts'),
      path.join(root, 'src/channels/wecom/callback.routes.ts'),
      path.join(root, 'src/app.ts'),
    ]
    const sql = /\.query\(|queryRows\(|preparedRows\(|\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b\s+[\w*(]/
    const offenders = adapters
      .filter((file) => sql.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file))
    expect(offenders).toEqual([])
  })
})
