/**
 * WeCom's frequency limits as a token bucket. WeCom counts calls per corp and API in two windows
 * (10,000 a minute and 150,000 an hour by default) and blocks an API that goes over. A bucket that
 * refills at `perSecond` and holds at most `capacity` lets through at most capacity + 60·perSecond
 * calls in any minute and capacity + 3600·perSecond in any hour, so both windows are kept.
 */
export interface BucketShape {
  perSecond: number
  capacity: number
}

export interface FrequencyLimits {
  perMinute: number
  perHour: number
}

/** Keep this share of each limit, so that calls made outside the bucket (a restart, a clock skew) fit. */
const HEADROOM = 0.9

export function bucketFor(limits: FrequencyLimits): BucketShape {
  const perSecond = (HEADROOM * limits.perHour) / 3600
  const capacity = Math.max(1, Math.floor(HEADROOM * limits.perMinute - 60 * perSecond))
  return { perSecond, capacity }
}

/** The tokens a bucket holds after `elapsedSeconds` of refilling. */
export function refilled(shape: BucketShape, tokens: number, elapsedSeconds: number): number {
  return Math.min(shape.capacity, tokens + Math.max(0, elapsedSeconds) * shape.perSecond)
}

/**
 * Takes up to `wanted` whole tokens from a bucket holding `available`: how many it grants, how many
 * remain, and when nothing is granted, how long until one token is there.
 */
export function grant(
  shape: BucketShape,
  available: number,
  wanted: number,
): { granted: number; remaining: number; waitSeconds: number } {
  const granted = Math.max(0, Math.min(wanted, Math.floor(available)))
  const remaining = available - granted
  const waitSeconds = granted > 0 ? 0 : (1 - available) / shape.perSecond
  return { granted, remaining, waitSeconds }
}
