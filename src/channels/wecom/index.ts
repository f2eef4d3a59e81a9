import type { DataSource } from 'typeorm'
import type { Clock } from '../../clock'
import type { Config } from '../../config'
import type { Logger } from '../../logger'
import type { ChannelModule } from '../module'
import { createWeCom } from './wiring'

/**
 * The official WeCom channels: the self-built app (staff: messages, template cards) and 微信客服
 * (owners), their callbacks, the ambassadors' sidebar, and the fallback poll of the kf account.
 */
export function wecomModule(
  config: NonNullable<Config['wecom']>,
  dataSource: DataSource,
  logger: Logger,
  now: Clock,
  publicBaseUrl: () => string,
): ChannelModule {
  const wecom = createWeCom(config, dataSource, logger, now, publicBaseUrl)
  return {
    name: 'wecom',
    channels: wecom.channels,
    cookieKeys: wecom.cookieKeys,
    readiness: { wecom: () => wecom.api.tokenAvailable() },
    routes: ({ pipeline, outbox }) => [wecom.routes(pipeline, outbox), wecom.sidebar()],
    sweeps: ({ pipeline, outbox }) => [
      { name: 'kf-poll', schedule: '30 * * * * *', run: () => wecom.poll(pipeline, outbox) },
    ],
  }
}
