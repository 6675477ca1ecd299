/**
 * Rate limits, per invite and for the whole server, never per address: the server does not look
 * at addresses at all (T08), and over Tor every respondent shares a few exit addresses anyway.
 * A per-invite bucket is keyed by the token's hash before the invite is looked up, so a forged
 * token is limited exactly like a real one and a 429 says nothing about the invite (T16).
 *
 * Token buckets in memory, on a monotonic clock that is never stored. With several processes on
 * one PostgreSQL, each process enforces its own limits.
 */

export interface RateLimits {
  /** Requests one invite may make in a burst: every chunk of five 25 MiB attachments, with retries. */
  readonly perInviteBurst: number
  /** Requests per second one invite regains. */
  readonly perInvitePerSecond: number
  /** Intake requests per second for the whole server. */
  readonly globalPerSecond: number
  /** The whole server's burst. */
  readonly globalBurst: number
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  perInviteBurst: 400,
  perInvitePerSecond: 2,
  globalPerSecond: 2000,
  globalBurst: 4000,
}

/** A monotonic clock in milliseconds. */
export type Monotonic = () => number

/** One token bucket: `capacity` tokens, refilled at `perSecond`. */
export class TokenBucket {
  readonly #capacity: number
  readonly #perMs: number
  readonly #now: Monotonic
  #tokens: number
  #at: number

  constructor(capacity: number, perSecond: number, now: Monotonic = () => performance.now()) {
    this.#capacity = capacity
    this.#perMs = perSecond / 1000
    this.#now = now
    this.#tokens = capacity
    this.#at = now()
  }

  /** Takes one token; false (and nothing taken) when the bucket is empty. */
  take(): boolean {
    const now = this.#now()
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#at) * this.#perMs)
    this.#at = now
    if (this.#tokens < 1) return false
    this.#tokens -= 1
    return true
  }
}

/**
 * A token bucket per key, holding at most `maxKeys` buckets: past that, the oldest buckets are
 * dropped (a dropped key starts again full), so a flood of made-up tokens cannot exhaust memory.
 */
export class KeyedRateLimiter {
  readonly #capacity: number
  readonly #perSecond: number
  readonly #maxKeys: number
  readonly #now: Monotonic
  readonly #buckets = new Map<string, TokenBucket>()

  constructor(capacity: number, perSecond: number, maxKeys = 100_000, now: Monotonic = () => performance.now()) {
    this.#capacity = capacity
    this.#perSecond = perSecond
    this.#maxKeys = maxKeys
    this.#now = now
  }

  /** Takes one token from `key`'s bucket; false when it is empty. */
  take(key: string): boolean {
    let bucket = this.#buckets.get(key)
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#maxKeys) this.#evict()
      bucket = new TokenBucket(this.#capacity, this.#perSecond, this.#now)
      this.#buckets.set(key, bucket)
    }
    return bucket.take()
  }

  #evict(): void {
    let drop = Math.ceil(this.#maxKeys / 10)
    for (const key of this.#buckets.keys()) {
      if (drop-- <= 0) break
      this.#buckets.delete(key)
    }
  }
}
