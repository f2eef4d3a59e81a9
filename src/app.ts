import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Readable, Writable } from 'node:stream'
import type { DataSource } from 'typeorm'
import { adminApiRouter } from './admin/api'
import { createAdminApp } from './admin/app'
import { bootstrapAdminToken, type BootstrapToken } from './admin/auth'
import { consoleRouter } from './admin/console/console.routes'
import { metricsRouter } from './admin/metrics'
import type { Channel } from './bot/channel'
import { ConsoleChannel } from './channels/console/console.channel'
import { OutboxDispatcher } from './bot/outbox'
import { InboundPipeline } from './bot/pipeline'
import { systemClock, type Clock } from './clock'
import type { Config } from './config'
import { createDataSource } from './db/data-source'
import { connectWithRetry, migrateUnderLock } from './db/startup'
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded'
import { calendarHealth, databaseHealth } from './db/health'
import { seedDemo } from './db/seed-demo'
import { LlmUnderstander } from './services/understanding/llm-understander'
import { MediaFetcher, type MediaSource } from './services/media/media-fetcher'
import { FileMediaStore, S3MediaStore, type MediaStore } from './services/media/media-store'
import { mediaRouter } from './admin/routes/media.routes'
import { usePhoneKeys } from './domain/phone-vault'
import { rekeyPhones } from './services/households/phone-rekey'
import { nextRetentionRunAt, RETENTION_TIMER, retentionTimerHandlers } from './services/retention/retention'
import { ChineseWorkdayCalendar } from './domain/chinese-calendar'
import { loadStaffCalendar } from './db/calendar-store'
import { CaseClock } from './services/cases/case-clock'
import { ensureTimer } from './db/timers'
import { caseTimerHandlers, nextMonthlyReportAt } from './services/cases/case-timers'
import { handOffTimerHandlers } from './services/conversations/hand-off-pickup'
import {
  nextSlotOpeningAt,
  REPAIR_SLOTS_TIMER,
  repairSlotTimerHandlers,
} from './services/organisation/repair-capacity'
import { expireIdleDialogs } from './services/conversations/dialog-expiry'
import { consoleModule } from './channels/console'
import type { ChannelContext, ChannelModule } from './channels/module'
import { wechatyModule } from './channels/wechaty'
import { wecomModule } from './channels/wecom'
import { letterReceipts } from './db/letter-receipts'
import { heldMessageTask } from './services/notifications/held-message-task'
import { startScheduler } from './jobs/scheduler'
import { TimerSweep } from './db/timer-sweep'
import type { Logger } from './logger'

export interface RunningApp {
  dataSource: DataSource
  /** The bootstrap admin token and where it came from (ADMIN_TOKEN, or the file it was saved in). */
  adminToken: BootstrapToken
  pipeline: InboundPipeline
  outbox: OutboxDispatcher
  /** Keeps owners' media; tests await its runs. */
  media: MediaFetcher
  adminUrl: string
  console: ConsoleChannel | null
  shutdown(): Promise<void>
}

export interface AppIo {
  stdin: Readable
  stdout: Writable
  /** Business time for the whole app; the system clock unless a test sets one. */
  clock?: Clock
}

/** Composition root: the only place that builds infrastructure and wires adapters to ports. */
export async function startApp(config: Config, logger: Logger, io: AppIo): Promise<RunningApp> {
  const now = io.clock ?? systemClock
  // Before anything reads or writes an owner: migrations, the demo seed, imports, binding.
  usePhoneKeys(config.phoneKeys)
  let embedded: EmbeddedDatabase | null = null
  let url: string
  if (config.database.kind === 'embedded') {
    logger.info(
      { dataDir: config.database.dataDir, port: config.database.port },
      'starting embedded PostgreSQL',
    )
    embedded = await startEmbeddedDatabase({
      dataDir: config.database.dataDir,
      port: config.database.port,
      log: (line) => logger.debug({ postgres: line }),
      warn: (line) => logger.warn(line),
    })
    url = embedded.url
  } else {
    url = config.database.url
  }

  const dataSource = createDataSource(url)
  try {
    await connectWithRetry(dataSource, url, config.database.connectTimeoutSeconds, (line) =>
      logger.warn(line),
    )
    const applied = await migrateUnderLock(dataSource)
    if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied')
    if (config.seedDemo) await seedDemo(dataSource, config.console.externalId, now())
    // After a key rotation, numbers sealed with an older key are sealed again (nothing to do otherwise).
    const rekeyed = await rekeyPhones(dataSource, config.phoneKeys, { lookup: false })
    if (rekeyed.changed + rekeyed.unreadable > 0) logger.info(rekeyed, 'owners’ phone numbers re-sealed')
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy()
    await embedded?.stop()
    throw error
  }

  // The channels configured, each a module of the same shape (src/channels/module.ts).
  let adminUrl = ''
  const publicBaseUrl = () => config.http.publicBaseUrl ?? adminUrl // known once the server listens
  const consoleChat = config.console.enabled ? consoleModule(io, config.console.externalId) : null
  const modules: ChannelModule[] = [
    ...(consoleChat ? [consoleChat] : []),
    ...(config.wechaty ? [await wechatyModule(config.wechaty.puppet, config.dataDir, logger)] : []),
    ...(config.wecom ? [wecomModule(config.wecom, dataSource, logger, now, publicBaseUrl)] : []),
  ]
  const channels = new Map<string, Channel>(
    modules.flatMap((module) => module.channels.map((channel) => [channel.name, channel] as const)),
  )

  const outbox = new OutboxDispatcher(dataSource, channels, logger, {
    maxAttempts: config.outbox.maxAttempts,
    onHeld: heldMessageTask(dataSource),
    receipts: letterReceipts,
  })
  // The official arrangement, the law's holidays, and the days staff entered (shared through Postgres).
  const calendar = new ChineseWorkdayCalendar()
  calendar.useStaffEntries(await loadStaffCalendar(dataSource))
  const clock = new CaseClock({
    policies: config.sla,
    calendar,
    businessHours: config.businessHours,
    surveyDelayMinutes: config.surveys.delayMinutes,
  })
  const dialogSettings = {
    warrantyPeriods: config.warrantyPeriods,
    clock,
    groupWarning: config.groupWarning,
    privacy: config.privacy,
    understander: config.llm
      ? new LlmUnderstander(config.llm, (reason) => logger.warn({ reason }, 'LLM not used for this message'))
      : undefined,
  }
  // Owners' media: fetched from their channels after the turn's commit and kept in the media store.
  const mediaStore: MediaStore =
    config.media.kind === 's3' ? new S3MediaStore(config.media.s3) : new FileMediaStore(config.media.dir)
  const mediaSources = new Map<string, MediaSource>(
    [...channels.values()].flatMap((channel) =>
      channel.fetchMedia
        ? [
            [
              channel.name,
              { fetch: (ref: string, _kind: string, maxBytes: number) => channel.fetchMedia!(ref, maxBytes) },
            ] as const,
          ]
        : [],
    ),
  )
  const mediaFetcher = new MediaFetcher(dataSource, mediaStore, mediaSources, logger, now)
  const pipeline = new InboundPipeline(
    dataSource,
    {
      onMedia: () => mediaFetcher.wake(),
      audienceOf: (name) => channels.get(name)?.audience ?? 'owner',
      idleMinutes: config.dialogs.idleMinutes,
      handOffIdleMinutes: config.dialogs.handOffIdleMinutes,
      maxTries: config.dialogs.maxTries,
      maxChars: config.inbound.maxChars,
      dialogs: dialogSettings,
    },
    logger,
    () => outbox.wake(),
    now,
  )
  const timers = new TimerSweep(
    dataSource,
    {
      ...caseTimerHandlers({
        clock,
        dialogs: dialogSettings,
        maxTries: config.dialogs.maxTries,
        surveyDialogMinutes: config.surveys.dialogMinutes,
      }),
      ...handOffTimerHandlers(),
      ...repairSlotTimerHandlers(calendar),
      ...retentionTimerHandlers(config.retention, mediaStore),
    },
    logger,
    now,
  )
  await dataSource.transaction(async (manager) => {
    await ensureTimer(manager, 'report.monthly', 'complaint-analysis', nextMonthlyReportAt(now()))
    await ensureTimer(manager, REPAIR_SLOTS_TIMER, 'all-projects', nextSlotOpeningAt(now()))
    await ensureTimer(manager, RETENTION_TIMER, 'all-kinds', nextRetentionRunAt(now()))
  })

  let stopping: Promise<void> | null = null
  const adminToken = await bootstrapAdminToken(
    dataSource,
    config.adminToken,
    config.database.kind === 'embedded' && !config.production ? config.dataDir : null,
  )
  const channelContext: ChannelContext = { dataSource, pipeline, outbox, logger, now, publicBaseUrl }
  const admin = createAdminApp({
    health: databaseHealth(dataSource, config.database.kind, now, {
      draining: () => stopping !== null,
      checks: Object.assign({}, ...modules.map((module) => module.readiness ?? {})),
    }),
    logger,
    routers: [
      adminApiRouter({ dataSource, clock, calendar, now, onQueued: () => outbox.wake(), media: mediaStore }),
      metricsRouter(dataSource, config.metricsToken, now),
      consoleRouter(),
      mediaRouter({ dataSource, store: mediaStore, now }),
      ...modules.flatMap((module) => module.routes?.(channelContext) ?? []),
    ],
    cookieKeys: modules.flatMap((module) => module.cookieKeys ?? []),
    trustProxy: config.http.trustProxy,
    metricsToken: config.metricsToken,
    draining: () => stopping !== null,
  })
  const server: Server = await new Promise((resolve, reject) => {
    const listening = admin.listen(config.http.port, config.http.host, () => resolve(listening))
    listening.once('error', reject)
  })
  const address = server.address() as AddressInfo
  adminUrl = `http://${config.http.host}:${address.port}`

  const scheduler = startScheduler(
    [
      { name: 'outbox-retry', schedule: '*/5 * * * * *', run: async () => outbox.wake() },
      { name: 'media-fetch', schedule: '*/30 * * * * *', run: async () => mediaFetcher.wake() },
      { name: 'inbox-recovery', schedule: '*/30 * * * * *', run: () => pipeline.recoverPending() },
      {
        name: 'timers',
        schedule: '*/10 * * * * *',
        run: async () => (await timers.sweep()) > 0 && outbox.wake(),
      },
      ...modules.flatMap((module) => module.sweeps?.(channelContext) ?? []),
      {
        // Another instance's calendar entries reach this one within a minute.
        name: 'calendar-refresh',
        schedule: '15 * * * * *',
        run: async () => calendar.useStaffEntries(await loadStaffCalendar(dataSource)),
      },
      {
        name: 'dialog-expiry',
        schedule: '0 * * * * *',
        run: async () => (await expireIdleDialogs(dataSource, now())) > 0 && outbox.wake(),
      },
    ],
    logger,
  )

  for (const channel of channels.values()) await channel.start(pipeline.receive)
  // Whatever a previous run accepted but did not finish is handled now, and its replies go out.
  await pipeline.recoverPending(0)
  outbox.wake()
  const calendarState = calendarHealth(now())
  if (calendarState.warning) logger.warn({ calendar: calendarState }, calendarState.warning)
  logger.info({ adminUrl, channels: [...channels.keys()] }, 'Anju is running')

  const shutdown = () =>
    (stopping ??= (async () => {
      for (const channel of channels.values()) await channel.stop()
      await pipeline.idle()
      await scheduler.stop()
      await outbox.settle()
      await outbox.stop()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await dataSource.destroy()
      await embedded?.stop()
      logger.info('Anju stopped')
    })())

  return {
    dataSource,
    adminToken,
    pipeline,
    outbox,
    media: mediaFetcher,
    adminUrl,
    console: consoleChat?.channel ?? null,
    shutdown,
  }
}
