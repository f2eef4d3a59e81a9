import { bucketFor, grant, refilled } from '../../../src/domain/rate-budget'

describe('WeCom frequency limits as a token bucket', () => {
  it('keeps both of WeCom’s windows with room to spare', () => {
    const shape = bucketFor({ perMinute: 10_000, perHour: 150_000 })
    expect(shape.capacity + 60 * shape.perSecond).toBeLessThanOrEqual(10_000 * 0.9)
    expect(shape.capacity + 3600 * shape.perSecond).toBeLessThanOrEqual(150_000)
    // A 100,000-owner broadcast: the first 6,750 at once, the rest at 37.5 a second.
    expect(shape).toEqual({ perSecond: 37.5, capacity: 6750 })
  })

  it('refills with time up to its capacity, and grants whole tokens only', () => {
    const shape = { perSecond: 2, capacity: 10 }
    expect(refilled(shape, 0, 1.5)).toBe(3)
    expect(refilled(shape, 9, 60)).toBe(10)
    expect(grant(shape, 3.5, 5)).toEqual({ granted: 3, remaining: 0.5, waitSeconds: 0 })
    expect(grant(shape, 0.5, 5)).toEqual({ granted: 0, remaining: 0.5, waitSeconds: 0.25 })
  })
})
