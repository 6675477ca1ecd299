import { statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers'

/**
 * Checkpoints off the commit path. With SQLite's automatic checkpoint, every thousandth page of
 * WAL makes one commit copy the WAL into the database file and fsync it before it returns, and
 * every submission waiting for that group commit waits too: measured here, that halved the
 * durable rate and set the p99 (docs/decisions/0020). A worker thread with its own connection
 * runs `PASSIVE` checkpoints instead, woken after each commit through shared memory; a passive
 * checkpoint never blocks the writer. Durability does not change: a commit is durable once its
 * WAL frames are fsynced (synchronous=FULL), before anything is acknowledged; a checkpoint only
 * moves committed pages into the main file, and a crash during one replays the WAL.
 *
 * A writer that never pauses could outrun the worker: past {@link WAL_LIMIT_BYTES} the writer
 * runs a `RESTART` checkpoint itself (most frames already copied), and `journal_size_limit` cuts
 * the file back afterwards. If the worker cannot start or its checkpoint fails (a disk error),
 * the writer goes back to SQLite's automatic checkpoints, where the same error then fails a
 * commit and the server stops accepting (fail closed, T03).
 *
 * The worker is inline code (`eval`) so it runs the same from the bundle, tsx and Vitest.
 */
export const WAL_LIMIT_BYTES = 64 * 1024 * 1024

const WORKER_CODE = `
const { workerData, parentPort } = require('node:worker_threads')
const Database = require(workerData.driver)
const flag = workerData.flag
let db = null
try {
  db = new Database(workerData.file, { fileMustExist: true })
  db.pragma('synchronous = FULL')
  for (;;) {
    Atomics.wait(flag, 0, 0)
    if (Atomics.exchange(flag, 0, 0) === 2) break
    db.pragma('wal_checkpoint(PASSIVE)')
  }
} catch (error) {
  parentPort.postMessage({ failed: true, code: typeof error?.code === 'string' ? error.code : 'unknown' })
} finally {
  try { db?.close() } catch {}
}
`

const WAKE = 1
const STOP = 2

export class IntakeCheckpointer {
  readonly #database: BetterSqlite3.Database
  readonly #walFile: string
  readonly #flag = new Int32Array(new SharedArrayBuffer(4))
  #worker: Worker | null = null
  #exited: Promise<void> = Promise.resolve()

  constructor(database: BetterSqlite3.Database, file: string) {
    this.#database = database
    this.#walFile = `${file}-wal`
    let worker: Worker
    try {
      worker = new Worker(WORKER_CODE, {
        eval: true,
        workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers'), file, flag: this.#flag },
      })
    } catch {
      return
    }
    this.#worker = worker
    this.#exited = new Promise((resolve) => worker.once('exit', () => resolve()))
    database.pragma('wal_autocheckpoint = 0')
    database.pragma(`journal_size_limit = ${String(WAL_LIMIT_BYTES / 4)}`)
    worker.on('message', (message: { failed?: boolean }) => {
      if (message.failed === true) this.#fallBack()
    })
    worker.on('error', () => this.#fallBack())
    // It must not keep the process alive on its own.
    worker.unref()
  }

  /**
   * After each commit: wake the worker (a commit during its checkpoint leaves it one more round),
   * and checkpoint here if the WAL ran past the limit. Waking it at most every 100 ms instead
   * measured no better (p99 26 ms against 17).
   */
  afterCommit(): void {
    if (this.#worker === null) return
    Atomics.store(this.#flag, 0, WAKE)
    Atomics.notify(this.#flag, 0)
    let size = 0
    try {
      size = statSync(this.#walFile).size
    } catch {
      return
    }
    if (size > WAL_LIMIT_BYTES) this.#database.pragma('wal_checkpoint(RESTART)')
  }

  /** Stops the worker (before the writer's connection closes). */
  async close(): Promise<void> {
    const worker = this.#detach()
    if (worker === null) return
    // Held while closing: an unreferenced worker lets a process with nothing else to do end
    // right here (exit 13, "unsettled top-level await"), before the store has closed.
    worker.ref()
    await this.#exited
  }

  /** Tells the worker to stop and forgets it; returns it, or null when there was none. */
  #detach(): Worker | null {
    const worker = this.#worker
    if (worker === null) return null
    this.#worker = null
    Atomics.store(this.#flag, 0, STOP)
    Atomics.notify(this.#flag, 0)
    return worker
  }

  #fallBack(): void {
    const worker = this.#detach()
    if (worker === null) return
    void worker.terminate()
    try {
      this.#database.pragma('wal_autocheckpoint = 1000')
    } catch {
      // The connection is closing or broken: its next commit reports that.
    }
  }
}
