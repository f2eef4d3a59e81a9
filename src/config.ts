import path from 'node:path'
import { parseServiceHours } from './domain/service-settings'
import type { BusinessHours } from './domain/working-time'
import { z } from 'zod'
import { DEFAULT_SLA_POLICIES, type SlaPolicies } from './domain/sla'
import { DEFAULT_RETENTION_DAYS, RETENTION_KINDS, type RetentionPolicy } from './domain/retention'
import { DEVELOPMENT_PHONE_KEYS, parsePhoneKeys, type PhoneKeys } from './domain/phone-vault'
import { REPAIR_CATEGORIES, STATUTORY_WARRANTY_MONTHS, type WarrantyPeriods } from './domain/warranty'

/** "09:00-17:30": a span of one day that opens before it closes (the deployment's or a project's). */
export const serviceHoursText = z
  .string()
  .refine((value) => parseServiceHours(value) !== null, 'expected HH:MM-HH:MM, opening before closing')

/** "09:00-17:30" → minutes since midnight, validated. */
const businessHours = serviceHoursText.transform((value) => parseServiceHours(value) as BusinessHours)

/** A variable holding JSON, parsed before its schema checks it. */
const jsonText = z.string().transform((value, ctx) => {
  try {
    return JSON.parse(value) as unknown
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected a JSON object' })
    return z.NEVER
  }
})

/** '{"防水渗漏": 96}' → the statutory periods with these lengthened; shortening below the law is refused. */
const warrantyMonths = jsonText
  .pipe(z.partialRecord(z.enum(REPAIR_CATEGORIES), z.number().int().min(0).max(600)))
  .transform((overrides, ctx) => {
    const periods: WarrantyPeriods = { ...STATUTORY_WARRANTY_MONTHS }
    for (const [category, months] of Object.entries(overrides) as [keyof WarrantyPeriods, number][]) {
      if (months < STATUTORY_WARRANTY_MONTHS[category]) {
        ctx.addIssue({
          code: 'custom',
          message: `${category}: below the statutory ${STATUTORY_WARRANTY_MONTHS[category]} months`,
        })
      }
      periods[category] = months
    }
    return periods
  })

const policy = z.object({
  mode: z.enum(['workday', 'business', 'calendar']),
  minutes: z
    .number()
    .int()
    .min(1)
    .max(366 * 24 * 60),
})

/** Some of the SLA policies, changed from the defaults of docs/service-rules.md (a deployment's or a project's). */
export const slaPolicyOverrides = z
  .object({
    complaintReply: policy,
    forumReply: policy,
    handOffPickup: policy,
    emergencyDispatch: policy,
    publicComplaintReport: policy,
    publicComplaintSolve: policy,
    repairDispatch: policy,
    firstCallback: policy,
    secondCallback: policy,
    designChangeNotice: policy,
    reminderLeadMinutes: z
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 60),
    groupEscalationAfter: policy,
  })
  .partial()
  .strict()

/** Days kept per kind, as JSON; kinds not named keep their defaults. */
const retentionDays = jsonText.pipe(
  z
    .object(Object.fromEntries(RETENTION_KINDS.map((kind) => [kind, z.number().int().min(1).max(36_500)])))
    .partial()
    .strict(),
)

/** '{"complaintReply": {"mode": "business", "minutes": 510}}' → the defaults with these changed. */
const slaPolicies = jsonText
  .pipe(slaPolicyOverrides)
  .transform((overrides): SlaPolicies => ({ ...DEFAULT_SLA_POLICIES, ...overrides }))

const encodingAesKey = z.string().regex(/^[A-Za-z0-9]{43}$/, 'EncodingAESKey is 43 letters and digits')

const flag = z
  .enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'])
  .transform((value) => ['1', 'true', 'on', 'yes'].includes(value))

const environmentSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  EMBEDDED_DATABASE: flag.optional(),
  DB_CONNECT_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  NODE_ENV: z.string().optional(),
  HOST: z.string().default('127.0.0.1'),
  // Where staff and WeCom reach this server, e.g. https://anju.example.com (no trailing slash).
  PUBLIC_BASE_URL: z
    .string()
    .url()
    .regex(/^https?:\/\/[^/]+$/, 'scheme and host only, e.g. https://anju.example.com')
    .optional(),
  TRUST_PROXY: flag.optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  CONSOLE_CHANNEL: flag.optional(),
  CONSOLE_EXTERNAL_ID: z.string().min(1).default('demo-owner'),
  SEED_DEMO: flag.optional(),
  ADMIN_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  WECHATY_PUPPET: z.string().min(1).optional(),
  WECOM_CORP_ID: z.string().min(1).optional(),
  WECOM_AGENT_ID: z.coerce.number().int().positive().optional(),
  WECOM_SECRET: z.string().min(1).optional(),
  WECOM_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9]{1,32}$/, 'letters and digits, at most 32')
    .optional(),
  WECOM_AES_KEY: encodingAesKey.optional(),
  WECOM_KF_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9]{1,32}$/, 'letters and digits, at most 32')
    .optional(),
  WECOM_KF_AES_KEY: encodingAesKey.optional(),
  WECOM_KF_OPEN_KFID: z.string().min(1).optional(),
  WECOM_API_BASE: z.string().url().default('https://qyapi.weixin.qq.com'),
  WECOM_RETRY_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(500),
  WECOM_CALLBACK_MAX_AGE_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  // WeCom's published limits per corp and API (访问频率限制); raise them only if WeCom raised yours.
  WECOM_API_PER_MINUTE: z.coerce.number().int().min(1).default(10_000),
  WECOM_API_PER_HOUR: z.coerce.number().int().min(1).default(150_000),
  WECOM_BLOCK_SECONDS: z.coerce.number().min(0.1).max(3600).default(60),
  DIALOG_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(30),
  DIALOG_MAX_TRIES: z.coerce.number().int().min(1).max(10).default(3),
  HANDOFF_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(240),
  BUSINESS_HOURS: businessHours.prefault('09:00-17:30'),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  WARRANTY_MONTHS: warrantyMonths.optional(),
  SLA_POLICIES: slaPolicies.optional(),
  SURVEY_DELAY_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(120),
  SURVEY_DIALOG_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(14 * 24)
    .default(48),
  GROUP_WARNING_HOUSEHOLDS: z.coerce.number().int().min(0).max(1000).default(3),
  GROUP_WARNING_WINDOW_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 24)
    .default(48),
  INBOUND_MAX_CHARS: z.coerce.number().int().min(100).max(100_000).default(2000),
  RETENTION_DAYS: retentionDays.optional(),
  PHONE_KEYS: z.string().trim().min(1).optional(),
  PHONE_LOOKUP_KEY: z.string().trim().min(1).optional(),
  PRIVACY_NOTICE_VERSION: z.string().trim().min(1).max(40).default('2026-12'),
  PRIVACY_NOTICE: z.string().trim().min(20).max(1500).optional(),
  MEDIA_STORE: z.enum(['file', 's3']).default('file'),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().min(3).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: flag.optional(),
  LLM_BASE_URL: z.string().url().optional(),
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_MODEL: z.string().min(1).default('deepseek-chat'),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(1500),
})

/** The keys owners' phone numbers are sealed and found with; the development keys when none are set. */
function phoneKeysOf(e: z.infer<typeof environmentSchema>): PhoneKeys {
  if (!e.PHONE_KEYS && !e.PHONE_LOOKUP_KEY) return DEVELOPMENT_PHONE_KEYS
  if (!e.PHONE_KEYS || !e.PHONE_LOOKUP_KEY)
    throw new ConfigError('PHONE_KEYS and PHONE_LOOKUP_KEY go together')
  try {
    return parsePhoneKeys(e.PHONE_KEYS, e.PHONE_LOOKUP_KEY)
  } catch (error) {
    throw new ConfigError((error as Error).message)
  }
}

/** Where owners' media are kept: files under DATA_DIR/media, or an S3-compatible bucket. */
function mediaConfig(e: z.infer<typeof environmentSchema>) {
  if (e.MEDIA_STORE === 'file') return { kind: 'file' as const, dir: path.resolve(e.DATA_DIR, 'media') }
  const missing = (['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter(
    (name) => !e[name],
  )
  if (missing.length > 0) throw new ConfigError(`MEDIA_STORE=s3 needs ${missing.join(', ')}`)
  return {
    kind: 's3' as const,
    s3: {
      endpoint: e.S3_ENDPOINT ?? null,
      region: e.S3_REGION,
      bucket: e.S3_BUCKET as string,
      accessKeyId: e.S3_ACCESS_KEY_ID as string,
      secretAccessKey: e.S3_SECRET_ACCESS_KEY as string,
      // Self-hosted stores (MinIO) want path-style addresses; AWS and the cloud stores accept both.
      forcePathStyle: e.S3_FORCE_PATH_STYLE ?? e.S3_ENDPOINT !== undefined,
    },
  }
}

export type Config = ReturnType<typeof loadConfig>
export type EnvironmentVariable = keyof typeof environmentSchema.shape
export const ENVIRONMENT_VARIABLES = Object.keys(environmentSchema.shape) as EnvironmentVariable[]

export class ConfigError extends Error {}

/** Reads and validates the environment once at start-up; a bad value stops the process with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  // An empty variable (FOO=) means "not set", as in most twelve-factor apps.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''))
  const parsed = environmentSchema.safeParse(present)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`)
  }
  const e = parsed.data
  const wecomParts = [e.WECOM_CORP_ID, e.WECOM_AGENT_ID, e.WECOM_SECRET, e.WECOM_TOKEN, e.WECOM_AES_KEY]
  if (wecomParts.some((part) => part !== undefined) && wecomParts.some((part) => part === undefined)) {
    throw new ConfigError(
      'Invalid configuration:\n  WeCom needs all of WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET, WECOM_TOKEN, WECOM_AES_KEY',
    )
  }
  if (e.NODE_ENV === 'production') {
    // Defaults that are fine on a laptop and unsafe on a server.
    const unsafe = [
      ...(!e.DATABASE_URL && !e.EMBEDDED_DATABASE
        ? ['DATABASE_URL is required (or EMBEDDED_DATABASE=on for a single-machine install)']
        : []),
      ...(e.METRICS_TOKEN
        ? []
        : ['METRICS_TOKEN is required: behind a reverse proxy every scrape looks local']),
      ...(e.PHONE_KEYS && e.PHONE_LOOKUP_KEY
        ? []
        : ['PHONE_KEYS and PHONE_LOOKUP_KEY are required: owners’ phone numbers are encrypted with them']),
      ...(e.WECOM_CORP_ID && !e.PUBLIC_BASE_URL
        ? ['PUBLIC_BASE_URL is required with WeCom: the sidebar signs and redirects to it']
        : []),
    ]
    if (unsafe.length) throw new ConfigError(`Refusing to start in production:\n  ${unsafe.join('\n  ')}`)
  }
  const embedded = e.DATABASE_URL === undefined
  const consoleChannel = e.CONSOLE_CHANNEL ?? embedded
  return {
    database: embedded
      ? {
          kind: 'embedded' as const,
          port: e.EMBEDDED_PG_PORT,
          dataDir: path.resolve(e.DATA_DIR, 'pg'),
          connectTimeoutSeconds: e.DB_CONNECT_TIMEOUT_SECONDS,
        }
      : {
          kind: 'external' as const,
          url: e.DATABASE_URL as string,
          connectTimeoutSeconds: e.DB_CONNECT_TIMEOUT_SECONDS,
        },
    dataDir: path.resolve(e.DATA_DIR),
    production: e.NODE_ENV === 'production',
    http: {
      host: e.HOST,
      port: e.PORT,
      publicBaseUrl: e.PUBLIC_BASE_URL ?? null,
      trustProxy: e.TRUST_PROXY ?? false,
    },
    // The console channel shares the terminal with the logs, so it keeps them quiet unless asked.
    logLevel: e.LOG_LEVEL ?? (consoleChannel ? 'warn' : 'info'),
    console: { enabled: consoleChannel, externalId: e.CONSOLE_EXTERNAL_ID },
    seedDemo: e.SEED_DEMO ?? embedded,
    adminToken: e.ADMIN_TOKEN ?? null,
    metricsToken: e.METRICS_TOKEN ?? null,
    // Without a puppet Wechaty would reach WeChat's servers with its default one: start it only when asked.
    wechaty: e.WECHATY_PUPPET ? { puppet: e.WECHATY_PUPPET } : null,
    wecom: e.WECOM_CORP_ID
      ? {
          corpId: e.WECOM_CORP_ID,
          agentId: e.WECOM_AGENT_ID as number,
          secret: e.WECOM_SECRET as string,
          apiBase: e.WECOM_API_BASE,
          callbackMaxAgeSeconds: e.WECOM_CALLBACK_MAX_AGE_SECONDS,
          retryBaseMs: e.WECOM_RETRY_BASE_MS,
          apiLimits: { perMinute: e.WECOM_API_PER_MINUTE, perHour: e.WECOM_API_PER_HOUR },
          blockSeconds: e.WECOM_BLOCK_SECONDS,
          app: { token: e.WECOM_TOKEN as string, aesKey: e.WECOM_AES_KEY as string },
          // The 微信客服 callback may have its own token and key; by default it shares the app's.
          kf: {
            token: e.WECOM_KF_TOKEN ?? (e.WECOM_TOKEN as string),
            aesKey: e.WECOM_KF_AES_KEY ?? (e.WECOM_AES_KEY as string),
            openKfid: e.WECOM_KF_OPEN_KFID ?? null,
          },
        }
      : null,
    dialogs: {
      idleMinutes: e.DIALOG_IDLE_MINUTES,
      maxTries: e.DIALOG_MAX_TRIES,
      handOffIdleMinutes: e.HANDOFF_IDLE_MINUTES,
    },
    businessHours: e.BUSINESS_HOURS,
    warrantyPeriods: e.WARRANTY_MONTHS ?? STATUTORY_WARRANTY_MONTHS,
    sla: e.SLA_POLICIES ?? DEFAULT_SLA_POLICIES,
    surveys: { delayMinutes: e.SURVEY_DELAY_MINUTES, dialogMinutes: e.SURVEY_DIALOG_HOURS * 60 },
    groupWarning: { households: e.GROUP_WARNING_HOUSEHOLDS, windowHours: e.GROUP_WARNING_WINDOW_HOURS },
    outbox: { maxAttempts: e.OUTBOX_MAX_ATTEMPTS },
    inbound: { maxChars: e.INBOUND_MAX_CHARS },
    media: mediaConfig(e),
    phoneKeys: phoneKeysOf(e),
    privacy: { version: e.PRIVACY_NOTICE_VERSION, text: e.PRIVACY_NOTICE ?? null },
    retention: { ...DEFAULT_RETENTION_DAYS, ...(e.RETENTION_DAYS ?? {}) } as RetentionPolicy,
    llm: e.LLM_BASE_URL
      ? {
          baseUrl: e.LLM_BASE_URL,
          apiKey: e.LLM_API_KEY ?? null,
          model: e.LLM_MODEL,
          timeoutMs: e.LLM_TIMEOUT_MS,
        }
      : null,
  }
}
