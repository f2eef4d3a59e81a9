import { Client } from 'pg'

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env.ANJU_TEST_SERVER_URL
  if (serverUrl) {
    const admin = new Client({ connectionString: serverUrl })
    await admin.connect()
    const leftovers = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
      [`anju_t_${process.pid}_%`, process.env.ANJU_TEST_TEMPLATE],
    )
    for (const { datname } of leftovers.rows)
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`)
    await admin.end()
  }
  await globalThis.anjuEmbeddedTestDatabase?.stop()
}
