import { CONSTANT_ACK } from '@amanat/domain'
import type { Context } from 'hono'
import type { Clock } from '../clock.ts'
import type { InflightBudget } from '../http/body.ts'
import type { ByteLimits } from '../limits.ts'
import { problems } from '../problems.ts'
import type { KeyedRateLimiter, TokenBucket } from '../rate-limit.ts'
import type { GroupCommitter } from '../storage/group-commit.ts'
import type { IntakeOutcome, IntakeStore, IntakeWrite } from '../storage/intake-store.ts'

/** What the routes share, built once by `createApp`. */
export interface RouteContext {
  readonly store: IntakeStore
  readonly committer: GroupCommitter
  readonly clock: Clock
  readonly bytes: ByteLimits
  readonly perInvite: KeyedRateLimiter
  readonly global: TokenBucket
  readonly budget: InflightBudget
  readonly recipientCounts: RecipientCountCache
  readonly credentialHash: string
  /** Benchmarks only (`AppDeps.benchmark`). */
  readonly discardSubmissions: boolean
  /** Stops the server accepting anything (a write to the store failed). */
  readonly failClosed: (error: unknown) => void
}

/**
 * Commits `write` with the next group commit and returns its outcome.
 *
 * @throws Problem `intake.unavailable` (503) when the store failed, now or before.
 */
export async function commitWrite(ctx: RouteContext, write: IntakeWrite): Promise<IntakeOutcome> {
  try {
    return await ctx.committer.submit(write)
  } catch {
    throw problems.unavailable()
  }
}

/** The one acknowledgement every submission and chunk gets (docs/intake-protocol.md §3). */
export function acknowledge(c: Context, clearSiteData: boolean): Response {
  if (clearSiteData) c.header('Clear-Site-Data', '"cache", "storage"')
  c.header('Content-Type', 'application/json')
  return c.body(CONSTANT_ACK, 200)
}

/**
 * The recipient counts of every published questionnaire, re-read at most once a second: a
 * submission whose stanza count is none of them is refused whatever its invite, so the refusal
 * says nothing about the invite.
 */
export class RecipientCountCache {
  readonly #store: IntakeStore
  readonly #ttlMs: number
  #value: ReadonlySet<number> | null = null
  #readAt = 0

  constructor(store: IntakeStore, ttlMs = 1000) {
    this.#store = store
    this.#ttlMs = ttlMs
  }

  async get(): Promise<ReadonlySet<number>> {
    const now = performance.now()
    if (this.#value === null || now - this.#readAt > this.#ttlMs) {
      this.#value = await this.#store.recipientCounts()
      this.#readAt = now
    }
    return this.#value
  }

  /** Forgets the cached counts (after a publish in this process). */
  invalidate(): void {
    this.#value = null
  }
}
