import { AmanatError } from '@amanat/domain'
import type { Clock } from '../clock.ts'
import type { IntakeOutcome, IntakeStore, IntakeWrite } from './intake-store.ts'

/**
 * Group commit: writes queue up and go to the store together, one transaction (one fsync) for
 * all that are waiting, at most `maxBatch` writes or `maxBatchBytes` bytes. A write that finds the
 * store idle is committed on the next turn of the event loop with whatever requests were read in
 * the same turn (or after `maxDelayMs`, when that is set); writes that arrive while a commit runs
 * wait for it and go together into the next one, so batches grow with the load and a lone write
 * never waits for company. Each caller's promise settles only after the transaction holding its
 * write has committed, so an acknowledgement sent then is an acknowledgement of durable data.
 *
 * Fail closed: if a commit fails (an I/O error, a full disk, a lost database), every waiting
 * caller is rejected, the committer stops for good, and every later write is rejected at once.
 * Nothing is retried: after a failed fsync the state of the data is unknown (PostgreSQL's
 * "fsyncgate", SECURITY-TESTS.md T03), so the only safe answers are 503s and a restart.
 */

export interface GroupCommitOptions {
  /**
   * How long the first write of a batch waits for company when the store is idle; 0 (the
   * default): only until the event loop's next turn. A fixed wait was measured to cost throughput
   * under load (docs/decisions/0023): with every connection's request in one batch, the server,
   * the store and the clients took turns instead of overlapping.
   */
  readonly maxDelayMs: number
  readonly maxBatch: number
  readonly maxBatchBytes: number
  /** False only in benchmarks: do all the work, then roll back (see `ApplyOptions.commit`). */
  readonly commit?: boolean
  /** Told once, with the error, when the committer stops. */
  readonly onFailure?: (error: unknown) => void
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = { maxDelayMs: 0, maxBatch: 512, maxBatchBytes: 16 * 1024 * 1024 }

interface Waiting {
  readonly write: IntakeWrite
  readonly resolve: (outcome: IntakeOutcome) => void
  readonly reject: (error: unknown) => void
}

/** The error every write gets once the committer has stopped. */
export const storageFailed = () =>
  new AmanatError('internal', 'intake.storage_failed', 'The intake store failed; the server accepts nothing until it is restarted.')

const sizeOf = (write: IntakeWrite): number => (write.kind === 'barrier' ? 0 : write.body.length)

export class GroupCommitter {
  readonly #store: IntakeStore
  readonly #clock: Clock
  readonly #options: GroupCommitOptions
  #queue: Waiting[] = []
  #timer: NodeJS.Timeout | null = null
  #immediate: NodeJS.Immediate | null = null
  #flushing: Promise<void> | null = null
  #failed = false

  constructor(store: IntakeStore, clock: Clock, options: GroupCommitOptions = DEFAULT_GROUP_COMMIT) {
    this.#store = store
    this.#clock = clock
    this.#options = options
  }

  /** True once a commit has failed; the committer then accepts nothing. */
  get failed(): boolean {
    return this.#failed
  }

  /**
   * Queues `write` and resolves with its outcome once the transaction holding it has committed.
   * Rejects with `intake.storage_failed` when that commit (or any earlier one) failed.
   */
  submit(write: IntakeWrite): Promise<IntakeOutcome> {
    if (this.#failed) return Promise.reject(storageFailed())
    return new Promise((resolve, reject) => {
      this.#queue.push({ write, resolve, reject })
      this.#schedule()
    })
  }

  /** Resolves after the next commit: for answers that must leave at the same moment as the others. */
  async barrier(): Promise<void> {
    await this.submit({ kind: 'barrier' })
  }

  /**
   * Stops for good without committing what is queued (its callers are rejected): for when a
   * write outside the committer failed and the store can no longer be trusted.
   */
  stop(): void {
    if (this.#failed) return
    this.#unschedule()
    this.#failed = true
    const waiting = this.#queue
    this.#queue = []
    for (const w of waiting) w.reject(storageFailed())
  }

  /** Commits what is queued and waits for it; for shutdown and tests. */
  async drain(): Promise<void> {
    while (this.#queue.length > 0 || this.#flushing !== null) {
      if (this.#flushing !== null) await this.#flushing
      else this.#flush()
    }
  }

  #schedule(): void {
    if (this.#flushing !== null) return // the running flush picks the queue up when it ends
    if (this.#queue.length >= this.#options.maxBatch) {
      this.#flush()
      return
    }
    if (this.#timer !== null || this.#immediate !== null) return
    if (this.#options.maxDelayMs > 0) {
      this.#timer = setTimeout(() => {
        this.#flush()
      }, this.#options.maxDelayMs)
    } else {
      this.#immediate = setImmediate(() => {
        this.#immediate = null
        this.#flush()
      })
    }
  }

  #take(): Waiting[] {
    let bytes = 0
    let count = 0
    for (const waiting of this.#queue) {
      if (count >= this.#options.maxBatch || (count > 0 && bytes + sizeOf(waiting.write) > this.#options.maxBatchBytes)) break
      bytes += sizeOf(waiting.write)
      count += 1
    }
    return this.#queue.splice(0, count)
  }

  /** Cancels a flush scheduled by {@link #schedule}. */
  #unschedule(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    if (this.#immediate !== null) clearImmediate(this.#immediate)
    this.#timer = null
    this.#immediate = null
  }

  #flush(): void {
    this.#unschedule()
    if (this.#flushing !== null || this.#queue.length === 0) return
    const batch = this.#take()
    this.#flushing = this.#commit(batch).finally(() => {
      this.#flushing = null
      // Writes that arrived during the commit have waited long enough: commit them now.
      if (this.#queue.length > 0 && !this.#failed) this.#flush()
    })
  }

  async #commit(batch: Waiting[]): Promise<void> {
    let outcomes: IntakeOutcome[]
    try {
      outcomes = await this.#store.applyBatch(
        batch.map((waiting) => waiting.write),
        this.#clock(),
        { commit: this.#options.commit ?? true },
      )
    } catch (error) {
      this.#fail(batch, error)
      return
    }
    batch.forEach((waiting, index) => {
      waiting.resolve(outcomes[index] ?? 'discarded')
    })
  }

  #fail(batch: Waiting[], error: unknown): void {
    this.#failed = true
    const waiting = [...batch, ...this.#queue]
    this.#queue = []
    for (const w of waiting) w.reject(storageFailed())
    this.#options.onFailure?.(error)
  }
}
