import { isMainThread, parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads'
import { AmanatError } from '@amanat/domain'
import type { IntakeStore, StoreLimits, StoredItem } from './intake-store.ts'
import { openSqliteStore } from './sqlite-store.ts'

/**
 * The SQLite store on its own thread. better-sqlite3 is synchronous: on the main thread every
 * commit's fsync would stop the event loop, and no request could be read while the disk flushes.
 * Here the main thread keeps reading and checking requests (they queue for the next group commit)
 * while the worker writes and flushes the current one.
 *
 * The worker is this same module started again (`new Worker(import.meta.url)`): in the bundle,
 * that is dist/server.mjs, whose entry point does nothing outside the main thread; in source, it
 * is this file. Errors cross back as their code and class name only, never their message.
 */

const MARK = 'amanatIntakeSqliteWorker'

type Method = Exclude<keyof IntakeStore, 'dialect'>

interface Call {
  readonly id: number
  readonly method: Method
  readonly args: unknown[]
}

type Reply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly code: string; readonly name: string }

interface WorkerData {
  readonly [MARK]: true
  readonly dataDir: string
  readonly limits: StoreLimits
}

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)

/** Messages carry Uint8Arrays; the store's callers expect Buffers. */
function revive(method: Method, value: unknown): unknown {
  if (method === 'findUpload') return value === null ? null : asBuffer(value as Uint8Array)
  if (method === 'itemsAfter') return (value as StoredItem[]).map((item) => ({ ...item, body: asBuffer(item.body) }))
  return value
}

/**
 * Opens the SQLite store in `dataDir` on a worker thread and returns a store whose calls run
 * there. Same contract as {@link openSqliteStore}. If the worker dies, every pending and later
 * call rejects with internal `intake.store_worker_failed`.
 */
export async function openSqliteStoreInWorker(dataDir: string, limits: StoreLimits): Promise<IntakeStore> {
  const data: WorkerData = { [MARK]: true, dataDir, limits }
  const worker = startWorker(data)
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void; method: Method }>()
  let nextId = 1
  let dead: AmanatError | null = null
  const die = (code: string) => {
    dead ??= new AmanatError('internal', 'intake.store_worker_failed', 'The intake store worker stopped.', { code })
    for (const call of pending.values()) call.reject(dead)
    pending.clear()
  }
  worker.on('message', (reply: Reply) => {
    const call = pending.get(reply.id)
    if (call === undefined) return
    pending.delete(reply.id)
    if (reply.ok) call.resolve(revive(call.method, reply.value))
    else call.reject(new AmanatError('internal', reply.code, 'The intake store failed.', { name: reply.name }))
  })
  worker.on('error', () => {
    die('worker_error')
  })
  worker.on('exit', () => {
    die('worker_exit')
  })
  const call = (method: Method, args: unknown[]): Promise<unknown> => {
    if (dead !== null) return Promise.reject(dead)
    const id = nextId++
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, method })
      worker.postMessage({ id, method, args } satisfies Call)
    })
  }
  // The worker answers this first call once the store is open (or with the reason it is not).
  await call('credentialHash', [])
  const proxy = {
    dialect: 'sqlite' as const,
    applyBatch: (...args) => call('applyBatch', args),
    recipientCounts: (...args) => call('recipientCounts', args),
    publishQuestionnaire: (...args) => call('publishQuestionnaire', args),
    findQuestionnaire: (...args) => call('findQuestionnaire', args),
    addInvites: (...args) => call('addInvites', args),
    revokeInvites: (...args) => call('revokeInvites', args),
    uploadProgress: (...args) => call('uploadProgress', args),
    chainAfter: (...args) => call('chainAfter', args),
    itemsAfter: (...args) => call('itemsAfter', args),
    findUpload: (...args) => call('findUpload', args),
    deleteItems: (...args) => call('deleteItems', args),
    purgeUploads: (...args) => call('purgeUploads', args),
    credentialHash: (...args) => call('credentialHash', args),
    initCredential: (...args) => call('initCredential', args),
    check: (...args) => call('check', args),
    close: async () => {
      await call('close', [])
      await worker.terminate()
    },
  } as IntakeStore
  return proxy
}

/**
 * Starts this module on a worker thread. Run from TypeScript source (tsx: benchmarks, tools), a
 * worker does not inherit tsx's loader on Node 20, so the worker registers it before importing
 * the module; the bundle is plain JavaScript and is started directly.
 */
function startWorker(data: WorkerData): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(import.meta.url), { workerData: data })
  const source = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}) })`
  return new Worker(source, { eval: true, workerData: data })
}

function errorReply(id: number, error: unknown): Reply {
  const code = (error as { code?: unknown } | null)?.code
  return {
    id,
    ok: false,
    code: typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : 'intake.store_failed',
    name: error instanceof Error ? error.name : 'unknown',
  }
}

/** The worker's side: opens the store, then runs each call in order of arrival. */
function serveStore(port: MessagePort, data: WorkerData): void {
  const opened = openSqliteStore(data.dataDir, data.limits)
  port.on('message', (message: Call) => {
    opened
      .then(async (store) => {
        const method = store[message.method].bind(store) as (...args: unknown[]) => Promise<unknown>
        const value = await method(...message.args)
        port.postMessage({ id: message.id, ok: true, value } satisfies Reply)
      })
      .catch((error: unknown) => {
        port.postMessage(errorReply(message.id, error))
      })
  })
}

if (!isMainThread && parentPort !== null && (workerData as Partial<WorkerData> | null)?.[MARK] === true) {
  serveStore(parentPort, workerData as WorkerData)
}
