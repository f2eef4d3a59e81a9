import { metricsAccess } from '../../src/admin/metrics'

describe('who may read /metrics', () => {
  it('serves this machine only when no token is configured', () => {
    const from = (ip: string) => metricsAccess(null, { ip, authorization: undefined })
    expect(from('127.0.0.1')).toBe('allowed')
    expect(from('::1')).toBe('allowed')
    expect(from('::ffff:127.0.0.1')).toBe('allowed')
    expect(from('10.0.0.8')).toBe('not-local')
    expect(from('::ffff:10.0.0.8')).toBe('not-local')
    expect(from('1127.0.0.1')).toBe('not-local')
  })

  it('wants the exact bearer token from anywhere once one is configured', () => {
    const token = 'metrics-token-0123456789'
    const send = (authorization: string | undefined, ip = '10.0.0.8') =>
      metricsAccess(token, { ip, authorization })
    expect(send(`Bearer ${token}`)).toBe('allowed')
    expect(send(undefined, '127.0.0.1')).toBe('needs-token')
    expect(send(`Bearer ${token}x`)).toBe('wrong-token')
    expect(send(token)).toBe('wrong-token')
  })
})
