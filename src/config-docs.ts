import type { EnvironmentVariable } from './config'

/**
 * Every environment variable with its default and meaning, in the order an operator reads them. The
 * source of .env.example (`npm run env:example`); a test keeps the two, and this list and the schema in
 * src/config.ts, in step.
 */
export const VARIABLES: Record<EnvironmentVariable, { group: string; default: string; meaning: string }> = {
  NODE_ENV: {
    group: 'Runtime',
    default: '',
    meaning: 'production refuses unsafe defaults (see docs/operations.md)',
  },
  LOG_LEVEL: { group: 'Runtime', default: 'info', meaning: 'pino level (warn with the console channel)' },
  DATABASE_URL: {
    group: 'Database',
    default: '',
    meaning: 'PostgreSQL URL; unset: the embedded server under DATA_DIR',
  },
  EMBEDDED_DATABASE: {
    group: 'Database',
    default: 'off',
    meaning: 'allow the embedded PostgreSQL in production',
  },
  DB_CONNECT_TIMEOUT_SECONDS: {
    group: 'Database',
    default: '60',
    meaning: 'how long start-up waits for PostgreSQL',
  },
  DATA_DIR: {
    group: 'Database',
    default: './data',
    meaning: 'embedded PostgreSQL files, its passwords, the demo admin token',
  },
  EMBEDDED_PG_PORT: {
    group: 'Database',
    default: '54329',
    meaning: 'port of the embedded PostgreSQL on 127.0.0.1',
  },
  HOST: {
    group: 'HTTP',
    default: '127.0.0.1',
    meaning: 'address the HTTP server binds (0.0.0.0 in a container)',
  },
  PORT: { group: 'HTTP', default: '3000', meaning: 'HTTP port (0 picks a free one)' },
  PUBLIC_BASE_URL: {
    group: 'HTTP',
    default: '',
    meaning: 'where staff and WeCom reach Anju, e.g. https://anju.example.com',
  },
  TRUST_PROXY: {
    group: 'HTTP',
    default: 'off',
    meaning: 'believe X-Forwarded-For/-Proto from a reverse proxy',
  },
  ADMIN_TOKEN: {
    group: 'Access',
    default: '',
    meaning: 'bootstrap admin bearer token (16+ characters); unset: one is minted and shown once',
  },
  METRICS_TOKEN: {
    group: 'Access',
    default: '',
    meaning: 'bearer token for /metrics and /healthz details; required in production',
  },
  CONSOLE_CHANNEL: {
    group: 'Demo',
    default: 'on with the embedded database',
    meaning: 'chat in the terminal as the demo owner',
  },
  CONSOLE_EXTERNAL_ID: { group: 'Demo', default: 'demo-owner', meaning: "the console's sender id" },
  SEED_DEMO: {
    group: 'Demo',
    default: 'on with the embedded database',
    meaning: 'seed the demo project, households and staff',
  },
  WECHATY_PUPPET: { group: 'Channels', default: '', meaning: 'start the Wechaty channel with this puppet' },
  WECOM_CORP_ID: {
    group: 'Channels',
    default: '',
    meaning: 'WeCom corp id; turns on the WeCom channels (the next four are then required)',
  },
  WECOM_AGENT_ID: { group: 'Channels', default: '', meaning: "the self-built app's AgentId" },
  WECOM_SECRET: { group: 'Channels', default: '', meaning: "the app's Secret" },
  WECOM_TOKEN: { group: 'Channels', default: '', meaning: "the app callback's Token" },
  WECOM_AES_KEY: {
    group: 'Channels',
    default: '',
    meaning: "the app callback's EncodingAESKey (43 characters)",
  },
  WECOM_KF_TOKEN: { group: 'Channels', default: 'WECOM_TOKEN', meaning: "the 微信客服 callback's Token" },
  WECOM_KF_AES_KEY: {
    group: 'Channels',
    default: 'WECOM_AES_KEY',
    meaning: "the 微信客服 callback's EncodingAESKey",
  },
  WECOM_KF_OPEN_KFID: {
    group: 'Channels',
    default: '',
    meaning: 'a kf account to poll once a minute besides callbacks',
  },
  WECOM_API_BASE: {
    group: 'Channels',
    default: 'https://qyapi.weixin.qq.com',
    meaning: 'WeCom API base URL',
  },
  WECOM_RETRY_BASE_MS: { group: 'Channels', default: '500', meaning: 'backoff base for WeCom retries' },
  WECOM_CALLBACK_MAX_AGE_SECONDS: {
    group: 'Channels',
    default: '300',
    meaning: 'callbacks older than this are refused (replays)',
  },
  WECOM_API_PER_MINUTE: {
    group: 'Channels',
    default: '10000',
    meaning: "WeCom's calls per minute per corp and API",
  },
  WECOM_API_PER_HOUR: {
    group: 'Channels',
    default: '150000',
    meaning: "WeCom's calls per hour per corp and API",
  },
  WECOM_BLOCK_SECONDS: {
    group: 'Channels',
    default: '60',
    meaning: 'how long every instance leaves an API alone after 45009',
  },
  DIALOG_IDLE_MINUTES: {
    group: 'Service rules',
    default: '30',
    meaning: 'an idle dialog restarts after this long',
  },
  HANDOFF_IDLE_MINUTES: {
    group: 'Service rules',
    default: '240',
    meaning: 'a conversation with staff returns to the bot after this long without a staff message',
  },
  DIALOG_MAX_TRIES: {
    group: 'Service rules',
    default: '3',
    meaning: 'wrong answers to one question before a way out is offered',
  },
  BUSINESS_HOURS: {
    group: 'Service rules',
    default: '09:00-17:30',
    meaning: 'staff hours on working days (Asia/Shanghai)',
  },
  OUTBOX_MAX_ATTEMPTS: {
    group: 'Service rules',
    default: '8',
    meaning: 'delivery attempts before a message is dead',
  },
  WARRANTY_MONTHS: {
    group: 'Service rules',
    default: 'statutory',
    meaning: 'JSON, lengthen warranty periods per repair category',
  },
  SLA_POLICIES: {
    group: 'Service rules',
    default: 'docs/service-rules.md',
    meaning: 'JSON overrides of the SLA policies',
  },
  SURVEY_DELAY_MINUTES: {
    group: 'Service rules',
    default: '120',
    meaning: 'callback survey this long after closure',
  },
  SURVEY_DIALOG_HOURS: {
    group: 'Service rules',
    default: '48',
    meaning: 'how long a proactive survey waits for the answer',
  },
  GROUP_WARNING_HOUSEHOLDS: {
    group: 'Service rules',
    default: '3',
    meaning: 'households whose complaints raise a group warning (0: off)',
  },
  GROUP_WARNING_WINDOW_HOURS: { group: 'Service rules', default: '48', meaning: '… within this many hours' },
  INBOUND_MAX_CHARS: {
    group: 'Service rules',
    default: '2000',
    meaning: 'longer messages are answered with "please split it"',
  },
  PRIVACY_NOTICE_VERSION: {
    group: 'Personal data',
    default: '2026-12',
    meaning:
      'the notice’s version, recorded with each consent; change it with the text and owners agree again',
  },
  PRIVACY_NOTICE: {
    group: 'Personal data',
    default: 'src/copy/owner.zh-cn.ts',
    meaning: 'the privacy notice shown before binding asks for a phone number',
  },
  PHONE_KEYS: {
    group: 'Personal data',
    default: 'development keys',
    meaning:
      'version:base64 of 32 bytes, comma-separated, newest first: encrypts owners’ phone numbers (required in production)',
  },
  PHONE_LOOKUP_KEY: {
    group: 'Personal data',
    default: 'development key',
    meaning: 'base64 of 32 bytes: the keyed hash phone numbers are found by (required in production)',
  },
  RETENTION_DAYS: {
    group: 'Personal data',
    default: 'see docs/operations.md',
    meaning: 'JSON days kept per kind: messages 365, outbox 180, media 1095, dialogs 30, caseOwners 1825',
  },
  MEDIA_STORE: {
    group: 'Media',
    default: 'file',
    meaning: 'where owners’ photos, voice and files are kept: file (DATA_DIR/media) or s3',
  },
  S3_ENDPOINT: {
    group: 'Media',
    default: '',
    meaning: 'an S3-compatible endpoint (MinIO, OSS, COS); unset: AWS',
  },
  S3_REGION: { group: 'Media', default: 'us-east-1', meaning: 'the bucket’s region' },
  S3_BUCKET: { group: 'Media', default: '', meaning: 'the bucket (created beforehand)' },
  S3_ACCESS_KEY_ID: { group: 'Media', default: '', meaning: 'access key with read and write on the bucket' },
  S3_SECRET_ACCESS_KEY: { group: 'Media', default: '', meaning: 'its secret' },
  S3_FORCE_PATH_STYLE: {
    group: 'Media',
    default: 'on with S3_ENDPOINT',
    meaning: 'host/bucket/key addresses (MinIO needs them)',
  },
  LLM_BASE_URL: {
    group: 'Understanding',
    default: '',
    meaning: 'an OpenAI-compatible API root (DeepSeek, Qwen, vLLM); unset: the offline reader only',
  },
  LLM_API_KEY: { group: 'Understanding', default: '', meaning: 'its bearer key, if it needs one' },
  LLM_MODEL: { group: 'Understanding', default: 'deepseek-chat', meaning: 'the model to ask' },
  LLM_TIMEOUT_MS: {
    group: 'Understanding',
    default: '1500',
    meaning: 'past this the offline reader answers (the call is inside the turn)',
  },
}

/** .env.example: every variable commented out with its default, grouped, so that a copy changes nothing. */
export function envExample(): string {
  const lines = [
    '# Anju configuration: set these in the environment, or copy this file to .env and start with',
    '# `node --env-file=.env dist/src/main.js` (compose.yaml reads .env by itself). Every line is commented',
    '# out and shows the default. Generated from src/config-docs.ts by `npm run env:example`.',
  ]
  let group = ''
  for (const [name, doc] of Object.entries(VARIABLES)) {
    if (doc.group !== group) {
      group = doc.group
      lines.push('', `## ${group}`)
    }
    lines.push(`# ${doc.meaning}`, `# ${name}=${doc.default}`)
  }
  return `${lines.join('\n')}\n`
}
