import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
// s3rver ships no types; it is a real S3-protocol server (signatures, buckets, objects) on loopback.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => {
  run(): Promise<AddressInfo>
  close(): Promise<void>
}

export const S3_BUCKET = 'anju-media'
const KEY = 'S3RVER'

/** An S3-protocol server on 127.0.0.1 with one bucket, its files in a temporary directory. */
export async function startS3Server(): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  const directory = await mkdtemp(path.join(tmpdir(), 'anju-s3-'))
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: S3_BUCKET }],
  })
  const address = await server.run()
  return {
    env: {
      MEDIA_STORE: 's3',
      S3_ENDPOINT: `http://127.0.0.1:${address.port}`,
      S3_BUCKET,
      // s3rver's fixed credentials; it checks the request signatures made with them.
      S3_ACCESS_KEY_ID: KEY,
      S3_SECRET_ACCESS_KEY: KEY,
    },
    async stop() {
      await server.close()
      await rm(directory, { recursive: true, force: true })
    },
  }
}
