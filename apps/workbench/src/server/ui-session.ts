import { randomBytes, timingSafeEqual } from 'node:crypto'
import { usageError } from '@amanat/domain'
import { sessionFor, type WorkbenchSession } from '../service/session.ts'
import type { OpenedWorkspace } from './opened-workspace.ts'

/**
 * Who may use the workbench, and whether its keys are in memory.
 *
 * Two separate gates. The **session** proves the request comes from the browser the analyst
 * opened the printed link in: the link carries a one-time token in its fragment (never sent to
 * any server, never in a Referer), which the page exchanges once for an HttpOnly, SameSite=Strict
 * cookie; the token is then spent. The **lock** holds the workspace: unlocking derives the keys
 * from the passphrase (the same path as the CLI), and locking — by hand, or after an idle period
 * — closes the store and drops every reference to the keys. A locked session keeps its cookie,
 * so the page can ask for the passphrase again without a new link. Locking refuses new work at
 * once and lets the requests already being answered finish first (for up to
 * {@link LOCK_WAIT_MS}): a pull or a report under way when the analyst presses "Lock", or stops
 * the workbench, completes instead of failing half way.
 */

/** How long a lock waits for the requests being answered before it closes the store anyway. */
export const LOCK_WAIT_MS = 30_000

/** 32 random bytes, base64url: the one-time link token and each session cookie. */
function secret(): string {
  return randomBytes(32).toString('base64url')
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * What is open while unlocked: the workspace and a service session over it (working as the
 * profile workspace.json names until the analyst picks theirs; `chosen` says whether they have).
 */
export interface Unlocked {
  readonly opened: OpenedWorkspace
  readonly service: WorkbenchSession
  chosen: boolean
}

export interface SessionOptions {
  /** Opens the workspace with a passphrase; throws `workspace.wrong_passphrase` on a wrong one. */
  readonly open: (passphrase: string) => Promise<OpenedWorkspace>
  /** Lock after this long without a request from the page. */
  readonly idleMs: number
  /** Told after an idle lock (for the terminal). */
  readonly onIdleLock?: () => void
}

export class UiSession {
  readonly #options: SessionOptions
  #linkToken: string | null = secret()
  readonly #cookies = new Set<string>()
  #unlocked: Unlocked | null = null
  #unlocking: Promise<Unlocked> | null = null
  #idleTimer: NodeJS.Timeout | null = null
  /** Requests being answered: the idle lock waits for them (a long pull is not idleness). */
  #inFlight = 0
  /** Told when no request is being answered any more. */
  #settled: (() => void)[] = []
  /** A lock closing the store: an unlock waits for it. */
  #locking: Promise<void> | null = null

  constructor(options: SessionOptions) {
    this.#options = options
  }

  /** The token for the printed link; null once it has been exchanged. */
  get linkToken(): string | null {
    return this.#linkToken
  }

  /** Exchanges the link token for a session cookie value; null when the token is wrong or spent. */
  exchange(token: string): string | null {
    if (this.#linkToken === null || !sameSecret(token, this.#linkToken)) return null
    this.#linkToken = null
    const cookie = secret()
    this.#cookies.add(cookie)
    return cookie
  }

  /** Whether `cookie` is a session this server issued. */
  knows(cookie: string | undefined): boolean {
    if (cookie === undefined) return false
    for (const known of this.#cookies) if (sameSecret(cookie, known)) return true
    return false
  }

  get unlocked(): Unlocked | null {
    return this.#unlocked
  }

  /** Unlocks with `passphrase` (one attempt at a time). Already unlocked: checks nothing, returns the state. */
  async unlock(passphrase: string): Promise<Unlocked> {
    await this.#locking?.catch(() => undefined)
    if (this.#unlocked !== null) return this.#unlocked
    if (this.#unlocking !== null) throw usageError('session.busy', 'The workspace is being unlocked already.')
    this.#unlocking = this.#options.open(passphrase).then(async (opened) => {
      try {
        return { opened, service: await sessionFor(opened.workspace), chosen: false }
      } catch (error) {
        await opened.close()
        throw error
      }
    })
    try {
      this.#unlocked = await this.#unlocking
    } finally {
      this.#unlocking = null
    }
    this.touch()
    return this.#unlocked
  }

  /** Records activity from the page, restarting the idle clock. */
  touch(): void {
    if (this.#unlocked === null) return
    if (this.#idleTimer !== null) clearTimeout(this.#idleTimer)
    this.#idleTimer = setTimeout(() => {
      if (this.#inFlight > 0) return this.touch()
      void this.lock().then(() => this.#options.onIdleLock?.())
    }, this.#options.idleMs)
    this.#idleTimer.unref()
  }

  /** Runs `work` (a request being answered) so that the idle lock waits for it; activity when it ends. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    this.#inFlight++
    try {
      return await work()
    } finally {
      this.#inFlight--
      if (this.#inFlight === 0) for (const settled of this.#settled.splice(0)) settled()
      this.touch()
    }
  }

  /**
   * Forgets the workspace at once (new requests find it locked), lets the requests being answered
   * finish (for up to {@link LOCK_WAIT_MS}), then closes it; after an unlock in progress, if any.
   * Safe to call when locked. Not to be called from inside {@link during}: it would wait for itself.
   */
  async lock(): Promise<void> {
    await this.#unlocking?.catch(() => undefined)
    if (this.#idleTimer !== null) clearTimeout(this.#idleTimer)
    this.#idleTimer = null
    const open = this.#unlocked
    this.#unlocked = null
    if (open === null) return this.#locking ?? undefined
    const locking = this.#answered().then(() => open.opened.close())
    this.#locking = locking
    try {
      await locking
    } finally {
      if (this.#locking === locking) this.#locking = null
    }
  }

  /** Resolves once no request is being answered, or after {@link LOCK_WAIT_MS}. */
  #answered(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, LOCK_WAIT_MS)
      timer.unref()
      this.#settled.push(() => {
        clearTimeout(timer)
        resolve()
      })
    })
  }

  /** Locks and spends every token and cookie: the server is going away. */
  async end(): Promise<void> {
    this.#linkToken = null
    this.#cookies.clear()
    await this.lock()
  }
}
