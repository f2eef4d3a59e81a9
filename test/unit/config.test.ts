import { readFileSync } from 'node:fs'
import path from 'node:path'
import { envExample, VARIABLES } from '../../src/config-docs'
import { ConfigError, ENVIRONMENT_VARIABLES, loadConfig } from '../../src/config'

describe('configuration', () => {
  it('runs on the embedded database with the console and demo data when nothing is set', () => {
    const config = loadConfig({})
    expect(config.database.kind).toBe('embedded')
    expect(config.console.enabled).toBe(true)
    expect(config.seedDemo).toBe(true)
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3000, publicBaseUrl: null, trustProxy: false })
    expect(config.businessHours).toEqual({ openMinute: 540, closeMinute: 1050 })
  })

  it('uses DATABASE_URL, without console or demo data unless asked', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db.internal:5432/anju' })
    expect(config.database).toEqual({
      kind: 'external',
      url: 'postgres://u@db.internal:5432/anju',
      connectTimeoutSeconds: 60,
    })
    expect(config.console.enabled).toBe(false)
    expect(config.seedDemo).toBe(false)
  })

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).database.kind).toBe('embedded')
  })

  it('names every bad variable in one clear error', () => {
    expect(() => loadConfig({ PORT: 'eighty', BUSINESS_HOURS: '17:30-09:00' })).toThrow(ConfigError)
    expect(() => loadConfig({ PORT: 'eighty', BUSINESS_HOURS: '17:30-09:00' })).toThrow(
      /PORT[\s\S]*BUSINESS_HOURS/,
    )
  })

  it('refuses to start in production with defaults that are unsafe on a server', () => {
    const keys = {
      PHONE_KEYS: `v1:${Buffer.alloc(32, 1).toString('base64')}`,
      PHONE_LOOKUP_KEY: Buffer.alloc(32, 2).toString('base64'),
    }
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u@db.internal:5432/anju', ...keys }
    expect(() => loadConfig(production)).toThrow(/METRICS_TOKEN is required/)
    expect(() =>
      loadConfig({ NODE_ENV: 'production', METRICS_TOKEN: 'metrics-token-0123456789', ...keys }),
    ).toThrow(/DATABASE_URL is required \(or EMBEDDED_DATABASE=on/)
    // Owners' phone numbers are not encrypted with the development keys on a server.
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        METRICS_TOKEN: 'metrics-token-0123456789',
        EMBEDDED_DATABASE: 'on',
      }),
    ).toThrow(/PHONE_KEYS and PHONE_LOOKUP_KEY are required/)
    expect(() => loadConfig({ PHONE_KEYS: 'v1:short', PHONE_LOOKUP_KEY: keys.PHONE_LOOKUP_KEY })).toThrow(
      /PHONE_KEYS: expected version:base64 of 32 bytes/,
    )
    expect(
      loadConfig({
        NODE_ENV: 'production',
        METRICS_TOKEN: 'metrics-token-0123456789',
        EMBEDDED_DATABASE: 'on',
        ...keys,
      }).database.kind,
    ).toBe('embedded')
    expect(() =>
      loadConfig({
        ...production,
        METRICS_TOKEN: 'metrics-token-0123456789',
        WECOM_CORP_ID: 'ww1',
        WECOM_AGENT_ID: '1000002',
        WECOM_SECRET: 's',
        WECOM_TOKEN: 't',
        WECOM_AES_KEY: 'a'.repeat(43),
      }),
    ).toThrow(/PUBLIC_BASE_URL is required/)
    expect(loadConfig({ ...production, METRICS_TOKEN: 'metrics-token-0123456789' }).metricsToken).toBe(
      'metrics-token-0123456789',
    )
  })
})

describe('.env.example', () => {
  it('documents every variable the configuration reads, and is what `npm run env:example` writes', () => {
    expect(Object.keys(VARIABLES).sort()).toEqual([...ENVIRONMENT_VARIABLES].sort())
    expect(readFileSync(path.join(__dirname, '../../.env.example'), 'utf8')).toBe(envExample())
  })
})
