import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

export interface EmbeddedServer {
  url: string
  adminUrl: string
  stop(): Promise<void>
}

/** An embedded PostgreSQL in a child process (see embedded-pg-process.ts): its URLs, and a stop. */
export async function startEmbeddedServer(dataDir: string, port: number): Promise<EmbeddedServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'embedded-pg-process.ts'), dataDir, String(port)],
    { cwd: path.resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const urls = await new Promise<{ url: string; adminUrl: string }>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk) => {
      out += chunk.toString()
      if (out.includes('\n')) resolve(JSON.parse(out.trim()))
    })
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited with ${code}`)))
  })
  return {
    ...urls,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
