import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { AmanatError, type ErrorKind } from '@amanat/domain'
import {
  createSubmissionProcessor,
  type ProcessedSubmission,
  type ProcessorSetup,
  type SubmissionProcessor,
  type SubmissionTask,
} from './submission-processor.ts'

/**
 * Processing submissions on every core for bulk pulls: a pool of worker threads, each with its
 * own processor built from the same setup. `process` behaves like a {@link SubmissionProcessor};
 * results come back in any order, each to its own promise.
 */
export interface ProcessorPool {
  readonly process: SubmissionProcessor
  /** Stops the workers; pending tasks reject. */
  close(): Promise<void>
}

/** One worker per core (the machine's available parallelism). */
export function defaultPoolSize(): number {
  return availableParallelism()
}

/** An inline "pool": the processor on this thread, for small pulls where starting workers costs more. */
export function inlinePool(setup: ProcessorSetup): ProcessorPool {
  return { process: createSubmissionProcessor(setup), close: () => Promise.resolve() }
}

type Answer =
  | { readonly id: number; readonly result: ProcessedSubmission }
  | { readonly id: number; readonly error: { kind: ErrorKind; code: string; message: string } }

/** What a worker posts: that it is ready, or the answers to one batch of tasks. */
type Reply = { readonly ready: true } | { readonly answers: readonly Answer[] }

/** What the pool posts to a worker: a batch of tasks. */
export type TaskBatch = readonly { readonly id: number; readonly task: SubmissionTask }[]

/**
 * Tasks per message. A message each way per submission cost about a fifth of the processing
 * (structured clone, the event loop's turn, the promise): batches share that. Fewer are sent
 * when the pull waits for them (`setImmediate` flushes whatever is queued).
 */
const BATCH = 32

/**
 * Starts `size` workers (at least one) and resolves once all are ready.
 *
 * @throws AmanatError internal `intake.worker_failed` when a worker cannot start.
 */
export async function startProcessorPool(setup: ProcessorSetup, size: number = defaultPoolSize()): Promise<ProcessorPool> {
  const workers: Worker[] = []
  const pending = new Map<number, { resolve: (r: ProcessedSubmission) => void; reject: (e: unknown) => void }>()
  const load = new Map<Worker, number>()
  let nextId = 0
  let failure: unknown = null
  let queued: { id: number; task: SubmissionTask }[] = []
  let flushing: NodeJS.Immediate | null = null
  const fail = (error: unknown) => {
    failure ??= error
    for (const { reject } of pending.values()) reject(failure)
    pending.clear()
    queued = []
  }
  const starting = Array.from({ length: Math.max(1, size) }, () => {
    const worker = new Worker(new URL('./processor-worker.mjs', import.meta.url), { workerData: setup })
    workers.push(worker)
    load.set(worker, 0)
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: Reply) => {
        if ('ready' in reply) return resolve()
        load.set(worker, (load.get(worker) ?? reply.answers.length) - reply.answers.length)
        for (const answer of reply.answers) {
          const task = pending.get(answer.id)
          if (task === undefined) continue
          pending.delete(answer.id)
          if ('result' in answer) task.resolve(answer.result)
          else task.reject(new AmanatError(answer.error.kind, answer.error.code, answer.error.message))
        }
      })
      worker.on('error', (error) => {
        const wrapped = new AmanatError('internal', 'intake.worker_failed', 'A submission worker stopped unexpectedly.', {}, { cause: error })
        reject(wrapped)
        fail(wrapped)
      })
    })
  })
  try {
    await Promise.all(starting)
  } catch (error) {
    await Promise.all(workers.map((w) => w.terminate()))
    throw error
  }
  const flush = () => {
    if (flushing !== null) clearImmediate(flushing)
    flushing = null
    if (queued.length === 0 || failure !== null) return
    const batch: TaskBatch = queued
    queued = []
    // The least-loaded worker; ties go to the first.
    let chosen = workers[0] as Worker
    for (const worker of workers) if ((load.get(worker) ?? 0) < (load.get(chosen) ?? 0)) chosen = worker
    load.set(chosen, (load.get(chosen) ?? 0) + batch.length)
    chosen.postMessage(batch)
  }
  return {
    process(task: SubmissionTask) {
      if (failure !== null) return Promise.reject(failure instanceof Error ? failure : new Error('worker pool failed'))
      const id = nextId++
      return new Promise<ProcessedSubmission>((resolve, reject) => {
        pending.set(id, { resolve, reject })
        queued.push({ id, task })
        if (queued.length >= BATCH) flush()
        else flushing ??= setImmediate(flush)
      })
    },
    async close() {
      if (flushing !== null) clearImmediate(flushing)
      fail(new AmanatError('internal', 'intake.pool_closed', 'The worker pool was closed.'))
      await Promise.all(workers.map((w) => w.terminate()))
    },
  }
}
