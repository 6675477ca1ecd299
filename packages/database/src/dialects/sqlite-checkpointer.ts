import { statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { SqliteConnection, SqliteTuning } from './sqlite.ts'

/**
 * Copies committed WAL frames into the main file on a second core. In WAL mode every page is
 * ciphered three times (written to the WAL, read back, written to the database); the last two
 * are the checkpoint, about 40% of the writer's time on a bulk import. Here a worker thread with
 * its own connection runs `PASSIVE` checkpoints after commits, while the writer goes on writing.
 *
 * A passive checkpoint never blocks the writer, and the writer can only restart the WAL when
 * every frame has been copied, so a writer that never pauses would let the WAL grow: past
 * {@link WAL_LIMIT_BYTES} the writer checkpoints the remaining tail itself and truncates the WAL
 * (`TRUNCATE`), which is cheap because the worker has copied most of it. If the worker cannot
 * start, SQLite's own automatic checkpoint on the writer's thread takes over, exactly as without
 * this class.
 *
 * Whether a checkpoint is running is a flag in shared memory, not a message: a bulk load appends
 * batch after batch without ever returning to the event loop (each append resolves at once), so a
 * reply by message would never be read, the writer would think the worker still busy, and it would
 * end up doing every checkpoint itself (measured: a fifth of a 200,000-respondent load).
 *
 * The worker is inline code (`eval`), so it runs the same under Node, tsx and Vitest, with no
 * TypeScript to load; it gets the raw key through `workerData` and wipes its copies once keyed.
 */
export class SqliteCheckpointer {
  readonly #connection: SqliteConnection
  readonly #walFile: string
  #worker: Worker | null
  /** `[0]`: 1 while a checkpoint is asked for or running, 0 when the worker is idle (set by the worker). */
  readonly #busy = new Int32Array(new SharedArrayBuffer(4))
  #closed = false
  readonly #waiting: (() => void)[] = []

  readonly #limit: number

  constructor(
    connection: SqliteConnection,
    file: string,
    rawKey: Buffer | null,
    tuning: SqliteTuning,
    limit = WAL_LIMIT_BYTES,
  ) {
    this.#connection = connection
    this.#limit = limit
    this.#walFile = `${file}-wal`
    let worker: Worker | null = null
    try {
      worker = new Worker(WORKER_CODE, {
        eval: true,
        workerData: {
          driver: createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers'),
          file,
          key: rawKey,
          cipher: tuning.cipher,
          pageSize: tuning.pageSize,
          busy: this.#busy,
        },
      })
    } catch {
      worker = null
    } finally {
      // workerData was copied into the worker; this copy is no longer needed.
      rawKey?.fill(0)
    }
    this.#worker = worker
    if (worker === null) return
    connection.pragma('wal_autocheckpoint = 0')
    // SQLite reuses a WAL file from its start once every frame is copied but never shrinks it, so
    // without a limit its size would stay at its high-water mark and `afterCommit` would take a
    // caught-up WAL for one that ran ahead (and checkpoint on the writer's thread on every commit).
    // With it, a restarted WAL is cut back to a quarter of the limit.
    connection.pragma(`journal_size_limit = ${String(Math.floor(limit / 4))}`)
    worker.on('message', (message: { readonly failed?: boolean }) => {
      if (message.failed === true) return this.#fallBack()
      // A late reply to an earlier checkpoint while a newer one runs: wait for the newer one's.
      if (Atomics.load(this.#busy, 0) === 1) return
      for (const resolve of this.#waiting.splice(0)) resolve()
      // Held only while someone waits for it (idle()) or while it closes (close()); never otherwise.
      if (!this.#closed) worker.unref()
    })
    worker.on('error', () => this.#fallBack())
    // Never keep the process alive for the checkpointer alone.
    worker.unref()
  }

  /** Call after each commit: starts a background checkpoint, or bounds the WAL if it ran ahead. */
  afterCommit(): void {
    if (this.#worker === null || this.#closed) return
    if (walSize(this.#walFile) > this.#limit) {
      this.#truncate()
      return
    }
    if (Atomics.load(this.#busy, 0) === 1) return
    Atomics.store(this.#busy, 0, 1)
    this.#worker.postMessage('checkpoint')
  }

  /**
   * Copies the WAL's tail on the writer's thread and truncates the WAL to nothing, so its size
   * measures what ran ahead again (a restart alone leaves the file at its high-water mark until a
   * later commit). SQLite lets one checkpoint run at a time and answers a second one "busy" at
   * once, without its busy handler: if the worker's checkpoint is running, wait for it (it copies
   * most of the frames anyway) and try again, or the WAL would grow by another commit every time
   * the two met (seen on a loaded CI machine: 541 KB where 64 KB was the limit).
   */
  #truncate(): void {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const [result] = this.#connection.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[]
        if (result?.busy !== 1) return
      } catch {
        // Busy past the timeout: the commit already succeeded; the next one tries again.
        return
      }
      // Returns at once if the worker has finished meanwhile.
      Atomics.wait(this.#busy, 0, 1, TRUNCATE_WAIT_MS)
    }
  }

  /** Resolves when no background checkpoint is running. */
  idle(): Promise<void> {
    if (Atomics.load(this.#busy, 0) === 0 || this.#worker === null) return Promise.resolve()
    // Keep the process alive while waiting: an unreferenced worker would let a CLI process end
    // with the wait unsettled (exit 13).
    this.#worker.ref()
    return new Promise((resolve) => this.#waiting.push(resolve))
  }

  /** Stops the worker and closes its connection, so the writer's close can checkpoint and remove the WAL. */
  async close(): Promise<void> {
    this.#closed = true
    const worker = this.#worker
    this.#worker = null
    if (worker === null) return
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
    // Held again while closing: an unreferenced worker would let the process end (exit 13,
    // unsettled top-level await) before the store is closed.
    worker.ref()
    worker.postMessage('close')
    await exited
  }

  #fallBack(): void {
    const worker = this.#worker
    this.#worker = null
    Atomics.store(this.#busy, 0, 0)
    for (const resolve of this.#waiting.splice(0)) resolve()
    if (worker !== null) void worker.terminate()
    if (!this.#closed) this.#connection.pragma('wal_autocheckpoint = 1000')
  }
}

/** How long the writer waits for the worker's checkpoint before trying its own again. */
const TRUNCATE_WAIT_MS = 10_000

/** Beyond this the writer copies the WAL's tail itself and truncates it (default). */
export const WAL_LIMIT_BYTES = 256 * 1024 * 1024

function walSize(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
let db = null
try {
  db = new Database(workerData.file, { fileMustExist: true })
  if (workerData.key !== null) {
    db.pragma("cipher = '" + workerData.cipher + "'")
    if (workerData.cipher === 'sqlcipher') {
      db.pragma('legacy = 4')
      db.pragma('legacy_page_size = ' + String(workerData.pageSize))
    }
    const key = Buffer.from(workerData.key)
    try { db.key(key) } finally { key.fill(0); workerData.key.fill(0) }
  }
  db.pragma('busy_timeout = 10000')
  db.pragma('synchronous = FULL')
  db.prepare('select count(*) from sqlite_schema').get()
} catch {
  db = null
}
parentPort.on('message', (message) => {
  if (message === 'close') {
    if (db !== null) db.close()
    parentPort.close()
    return
  }
  let failed = db === null
  if (!failed) {
    try {
      db.pragma('wal_checkpoint(PASSIVE)')
    } catch {
      failed = true
    }
  }
  Atomics.store(workerData.busy, 0, 0)
  Atomics.notify(workerData.busy, 0)
  parentPort.postMessage({ failed })
})
`
