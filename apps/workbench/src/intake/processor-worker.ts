import { parentPort, workerData } from 'node:worker_threads'
import { wipePrepared } from '@amanat/database'
import { isAmanatError } from '@amanat/domain'
import { createSubmissionProcessor, type ProcessorSetup, type SubmissionTask } from './submission-processor.ts'

/**
 * One worker of the pool (processor-pool.ts): builds the processor from `workerData` and answers
 * each `{ id, task }` with `{ id, result }` or `{ id, error }` (the error's code and kind only:
 * never a message that could quote content).
 */
const port = parentPort
if (port === null) throw new Error('processor-worker.ts runs only as a worker thread')
const processTask = createSubmissionProcessor(workerData as ProcessorSetup)
port.on('message', (message: { id: number; task: SubmissionTask }) => {
  processTask(message.task).then(
    (result) => {
      port.postMessage({ id: message.id, result })
      // The main thread has its own copy now; this one holds plaintext and a data key.
      if (result.kind === 'mapped') wipePrepared([result.event])
    },
    (error: unknown) =>
      port.postMessage({
        id: message.id,
        error: isAmanatError(error) ? { kind: error.kind, code: error.code, message: error.message } : { kind: 'internal', code: 'intake.worker_failed', message: 'A submission worker failed.' },
      }),
  )
})
port.postMessage({ ready: true })
