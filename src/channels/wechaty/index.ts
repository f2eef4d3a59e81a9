import path from 'node:path'
import type { Logger } from '../../logger'
import type { ChannelModule } from '../module'

/** Owners on personal WeChat through any Wechaty puppet; loaded only when a puppet is configured. */
export async function wechatyModule(puppet: string, dataDir: string, logger: Logger): Promise<ChannelModule> {
  // Wechaty is large and its default puppet goes online: import it only now.
  const { WechatyBuilder } = await import('wechaty')
  const { WechatyChannel } = await import('./wechaty.channel')
  const bot = WechatyBuilder.build({ name: path.join(dataDir, 'wechaty'), puppet: puppet as never })
  bot.on('scan', (qrcode: string, status: number) =>
    logger.warn({ qrcode, status }, 'wechaty: scan to log in'),
  )
  return { name: 'wechaty', channels: [new WechatyChannel(bot, logger)] }
}
