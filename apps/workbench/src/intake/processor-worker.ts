import { parentPort, workerData } from 'node:worker_threads'
import { wipePrepared } from '@amanat/database'
import { isAmanatError } from '@amanat/domain'
import type { TaskBatch } from './processor-pool.ts'
import { createSubmissionProcessor, type ProcessorSetup, type SubmissionTask } from './submission-processor.ts'

/**
 * One worker of the pool (processor-pool.ts): builds the processor from `workerData` and answers
 * each batch of `{ id, task }` with one message of `{ id, result }` or `{ id, error }` (the error's
 * code and kind only: never a message that could quote content).
 */
const port = parentPort
if (port === null) throw new Error('processor-worker.ts runs only as a worker thread')
const processTask = createSubmissionProcessor(workerData as ProcessorSetup)

async function answer(id: number, task: SubmissionTask) {
  try {
    return { id, result: await processTask(task) }
  } catch (error) {
    return {
      id,
      error: isAmanatError(error) ? { kind: error.kind, code: error.code, message: error.message } : { kind: 'internal', code: 'intake.worker_failed', message: 'A submission worker failed.' },
    }
  }
}

port.on('message', (batch: TaskBatch) => {
  void (async () => {
    const answers = []
    for (const { id, task } of batch) answers.push(await answer(id, task))
    port.postMessage({ answers })
    // The main thread has its own copies now; these hold plaintext and data keys.
    wipePrepared(answers.flatMap((a) => ('result' in a && a.result.kind === 'mapped' ? [a.result.event] : [])))
  })()
})
port.postMessage({ ready: true })
