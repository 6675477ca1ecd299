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

type Reply =
  | { readonly ready: true }
  | { readonly id: number; readonly result: ProcessedSubmission }
  | { readonly id: number; readonly error: { kind: ErrorKind; code: string; message: string } }

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
  const fail = (error: unknown) => {
    failure ??= error
    for (const { reject } of pending.values()) reject(failure)
    pending.clear()
  }
  const starting = Array.from({ length: Math.max(1, size) }, () => {
    const worker = new Worker(new URL('./processor-worker.mjs', import.meta.url), { workerData: setup })
    workers.push(worker)
    load.set(worker, 0)
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: Reply) => {
        if ('ready' in reply) return resolve()
        const task = pending.get(reply.id)
        if (task === undefined) return
        pending.delete(reply.id)
        load.set(worker, (load.get(worker) ?? 1) - 1)
        if ('result' in reply) task.resolve(reply.result)
        else task.reject(new AmanatError(reply.error.kind, reply.error.code, reply.error.message))
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
  return {
    process(task: SubmissionTask) {
      if (failure !== null) return Promise.reject(failure instanceof Error ? failure : new Error('worker pool failed'))
      // The least-loaded worker; ties go to the first.
      let chosen = workers[0] as Worker
      for (const worker of workers) if ((load.get(worker) ?? 0) < (load.get(chosen) ?? 0)) chosen = worker
      load.set(chosen, (load.get(chosen) ?? 0) + 1)
      const id = nextId++
      return new Promise<ProcessedSubmission>((resolve, reject) => {
        pending.set(id, { resolve, reject })
        chosen.postMessage({ id, task })
      })
    },
    async close() {
      fail(new AmanatError('internal', 'intake.pool_closed', 'The worker pool was closed.'))
      await Promise.all(workers.map((w) => w.terminate()))
    },
  }
}
