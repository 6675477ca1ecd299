import { describe, expect, it } from 'vitest'
import { KeyedRateLimiter, TokenBucket } from '../src/rate-limit.ts'

describe('rate limits', () => {
  it('lets a burst through, then refills at the given rate', () => {
    let now = 0
    const bucket = new TokenBucket(3, 2, () => now)
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false])
    now += 499
    expect(bucket.take()).toBe(false)
    now += 1
    expect([bucket.take(), bucket.take()]).toEqual([true, false])
    now += 60_000
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false])
  })

  it('keeps one bucket per key and a bounded number of keys', () => {
    const now = 0
    const limiter = new KeyedRateLimiter(1, 1, 10, () => now)
    expect([limiter.take('a'), limiter.take('a'), limiter.take('b')]).toEqual([true, false, true])
    for (let i = 0; i < 100; i++) limiter.take(`k${String(i)}`)
    // 'a' was dropped with the oldest keys, so it starts again with a full bucket.
    expect(limiter.take('a')).toBe(true)
  })
})
