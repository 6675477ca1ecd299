/**
 * The intake server's entry point (bundled to dist/server.mjs; `amanat serve` runs that bundle):
 *
 *   node dist/server.mjs --data <dir> [--host 127.0.0.1] [--port 8787] [--postgres <url>]
 *                        [--tls-cert <file> --tls-key <file>] [--static <dir>]
 *
 * The only place that reads the command line and the environment, opens resources and starts.
 * Output: `analyst credential: <value>` on the first start only, then `intake server: <url>` on
 * stdout; errors by code on stderr. Nothing about any request, ever (no access log).
 */
import { isMainThread } from 'node:worker_threads'
import { isAmanatError } from '@amanat/domain'
import { readConfig } from './config.ts'
import { errorCode } from './problems.ts'
import { startIntakeServer } from './server.ts'

const EXIT_USAGE = 2
const EXIT_INTERNAL = 70
const EXIT_STORAGE = 75

const output = {
  line: (text: string) => process.stdout.write(`${text}\n`),
  error: (text: string) => process.stderr.write(`${text}\n`),
}

async function main(): Promise<void> {
  process.on('uncaughtException', (error) => {
    output.error(`intake server: unexpected error ${errorCode(error)}`)
    process.exit(EXIT_INTERNAL)
  })
  process.on('unhandledRejection', (error) => {
    output.error(`intake server: unexpected error ${errorCode(error)}`)
    process.exit(EXIT_INTERNAL)
  })

  let running
  try {
    running = await startIntakeServer(readConfig(process.argv.slice(2), process.env), output, {
      // Fail closed, then exit so a supervisor restarts on a store it can trust (T03). The
      // waiting requests have had their 503s by the time this runs.
      onStorageFailure: () => {
        setTimeout(() => process.exit(EXIT_STORAGE), 250).unref()
      },
    })
  } catch (error) {
    // AmanatError messages are fixed sentences written for people; other errors show their code only.
    if (isAmanatError(error)) output.error(`intake server: ${error.code}: ${error.message}`)
    else output.error(`intake server: cannot start (${errorCode(error)})`)
    process.exit(isAmanatError(error) && error.kind === 'usage' ? EXIT_USAGE : EXIT_INTERNAL)
  }

  const server = running
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        output.error(`intake server: unclean stop (${errorCode(error)})`)
        process.exit(EXIT_INTERNAL)
      },
    )
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

// The bundle is also the SQLite store's worker thread (storage/sqlite-worker.ts): there, this
// entry point does nothing.
if (isMainThread) await main()
