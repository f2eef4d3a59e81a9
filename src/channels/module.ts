import type Router from '@koa/router'
import type { DataSource } from 'typeorm'
import type { Channel } from '../bot/channel'
import type { OutboxDispatcher } from '../bot/outbox'
import type { InboundPipeline } from '../bot/pipeline'
import type { Clock } from '../clock'
import type { Logger } from '../logger'

/** What a channel module's routes and sweeps work with, once the app has built it. */
export interface ChannelContext {
  dataSource: DataSource
  pipeline: InboundPipeline
  outbox: OutboxDispatcher
  logger: Logger
  now: Clock
  /** Where staff and the channel's servers reach this app (PUBLIC_BASE_URL, else where it listens). */
  publicBaseUrl: () => string
}

/** A node-cron schedule that wakes one of the module's sweeps. */
export interface ChannelSweep {
  name: string
  schedule: string
  run: () => Promise<unknown>
}

/**
 * Every channel has the same shape: its channels (each saying whether owners or staff write on it), the
 * HTTP routes its servers call, the sweeps it needs woken, and what readiness should check. The app
 * registers a list of these and knows no channel by name.
 */
export interface ChannelModule {
  name: string
  channels: Channel[]
  routes?(context: ChannelContext): Router[]
  sweeps?(context: ChannelContext): ChannelSweep[]
  readiness?: Record<string, () => Promise<boolean>>
  /** Keys for signed cookies its pages set. */
  cookieKeys?: string[]
}
