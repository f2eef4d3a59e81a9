import { startApp } from './app'
import { ConfigError, loadConfig } from './config'
import { EmbeddedDatabaseError } from './db/embedded'
import { DatabaseStartError } from './db/startup'
import { createLogger } from './logger'

const BANNER = '安居 Anju 控制台：您正以演示业主「张三」的身份与机器人对话。输入消息后回车，Ctrl-D 结束。\n'

async function main(): Promise<void> {
  const config = loadConfig()
  const logger = createLogger(config.logLevel)
  process.on('unhandledRejection', (error) => {
    logger.fatal({ err: error }, 'unhandled rejection')
    process.exit(1)
  })

  const app = await startApp(config, logger, { stdin: process.stdin, stdout: process.stdout })
  let stopping = false
  const stop = async (reason: string) => {
    if (stopping) return
    stopping = true
    logger.info({ reason }, 'shutting down')
    await app.shutdown()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop('SIGINT'))
  process.once('SIGTERM', () => void stop('SIGTERM'))

  console.error(`Admin API: ${app.adminUrl}/api/v1  (GET /healthz; staff console ${app.adminUrl}/console)`)
  if (app.adminToken.source === 'file') console.error(`Admin token: in ${app.adminToken.file}`)
  if (app.adminToken.source === 'minted')
    console.error(
      `Bootstrap admin token (shown this once; keep it, then issue staff tokens with it): ${app.adminToken.token}`,
    )
  if (app.console) {
    process.stdout.write(BANNER + '\n')
    await app.console.whenInputEnds()
    await stop('end of input')
  }
}

main().catch((error: unknown) => {
  const known =
    error instanceof ConfigError ||
    error instanceof EmbeddedDatabaseError ||
    error instanceof DatabaseStartError
  console.error(known ? error.message : error)
  process.exit(1)
})
