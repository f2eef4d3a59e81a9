// Runs the jest suite again with the business clock started at dates that have broken date-dependent
// code before: a month's first day just after midnight (reports of "this month" are nearly empty), New
// Year's Eve at 23:59 in Shanghai (the day, month and year all turn within the run), and a Spring Festival
// holiday in a year the official calendar package does not know yet. `ANJU_TEST_NOW` is read by
// test/support/clock.ts. Extra arguments go to jest (e.g. a path to run one file).
import { spawnSync } from 'node:child_process'
import path from 'node:path'

const DATES = ['2026-12-01T00:30:00+08:00', '2026-12-31T23:59:00+08:00', '2027-02-05T10:00:00+08:00']
const jest = path.join(import.meta.dirname, '..', 'node_modules', 'jest', 'bin', 'jest.js')

for (const now of DATES) {
  console.log(`\n== jest with the clock at ${now}`)
  const run = spawnSync(process.execPath, [jest, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ANJU_TEST_NOW: now },
  })
  if (run.status !== 0) {
    console.error(`jest failed with the clock at ${now}`)
    process.exit(run.status ?? 1)
  }
}
