import { createHmac } from 'node:crypto'
import type { DataSource } from 'typeorm'
import type { Clock } from '../../clock'
import { sidebarRoutes } from '../../admin/sidebar/sidebar.routes'
import type { Config } from '../../config'
import { PgCredentialCache } from './credential-store'
import { PgRateBudget } from './rate-budget-store'
import { bucketFor } from '../../domain/rate-budget'
import { queueToStaffAccount } from '../../services/notifications/staff-notifications'
import { recordStaffMessageSentElsewhere } from '../../services/conversations/staff-messages-elsewhere'
import type { Logger } from '../../logger'
import type { OutboxDispatcher } from '../../bot/outbox'
import type { InboundPipeline } from '../../bot/pipeline'
import { WeComApi } from './api-client'
import { WeComAppChannel } from './app.channel'
import { CallbackCrypto } from './callback-crypto'
import { wecomCallbackRoutes } from './callback.routes'
import { WeComKfChannel } from './kf.channel'

type WeComConfig = NonNullable<Config['wecom']>

/** The official WeCom channels, their callback routes, and what the app needs to drive them. */
export function createWeCom(
  config: WeComConfig,
  dataSource: DataSource,
  logger: Logger,
  now: Clock,
  publicBaseUrl: () => string,
) {
  const api = new WeComApi({
    baseUrl: config.apiBase,
    corpId: config.corpId,
    secret: config.secret,
    credentials: new PgCredentialCache(dataSource),
    budget: new PgRateBudget(dataSource, bucketFor(config.apiLimits)),
    blockSeconds: config.blockSeconds,
    logger,
    backoffMs: (attempt) => Math.min(30_000, config.retryBaseMs * 2 ** attempt),
  })
  const app = new WeComAppChannel(api, config.agentId, dataSource)
  const kf = new WeComKfChannel(api, dataSource, logger)

  /** Accepts a pull's messages, then handles their conversations (after the pull's transaction). */
  const pull = async (
    pipeline: InboundPipeline,
    outbox: OutboxDispatcher,
    openKfid: string,
    token: string | null,
  ) => {
    const touched = new Set<number>()
    await kf.sync(
      openKfid,
      token,
      async (message) => {
        const accepted = await pipeline.accept(message)
        if (accepted === 'duplicate') return 'duplicate'
        touched.add(accepted.conversationId)
        return 'accepted'
      },
      async (manager, said) => {
        await recordStaffMessageSentElsewhere(manager, { channel: kf.name, ...said, at: now() })
      },
    )
    for (const conversationId of touched) await pipeline.drain(conversationId)
    outbox.wake()
  }

  return {
    api,
    channels: [app, kf],
    /** The sidebar's cookie key, derived from the app secret so no other secret must be configured. */
    cookieKeys: [createHmac('sha256', config.secret).update('anju-sidebar-session').digest('hex')],
    sidebar: () =>
      sidebarRoutes({
        dataSource,
        api,
        corpId: config.corpId,
        agentId: config.agentId,
        now,
        publicBaseUrl,
      }),
    routes(pipeline: InboundPipeline, outbox: OutboxDispatcher) {
      return wecomCallbackRoutes({
        settings: { corpId: config.corpId, maxAgeSeconds: config.callbackMaxAgeSeconds },
        app: {
          crypto: new CallbackCrypto(config.app.token, config.app.aesKey, config.corpId),
          sink: {
            receive: pipeline.store,
            async cardClicked(userId, responseCode, label) {
              if (responseCode)
                await queueToStaffAccount(dataSource, userId, { kind: 'card-update', responseCode, label })
            },
          },
        },
        kf: {
          crypto: new CallbackCrypto(config.kf.token, config.kf.aesKey, config.corpId),
          sink: {
            pullLater: (openKfid, token) =>
              void pull(pipeline, outbox, openKfid, token).catch((error: unknown) =>
                logger.error({ err: error, openKfid }, 'kf pull failed; the next callback or poll retries'),
              ),
          },
        },
        logger,
      })
    },
    /** The fallback poll for the configured kf account (WeCom may not call back, e.g. after an outage). */
    poll: (pipeline: InboundPipeline, outbox: OutboxDispatcher) =>
      config.kf.openKfid ? pull(pipeline, outbox, config.kf.openKfid, null) : Promise.resolve(),
  }
}
