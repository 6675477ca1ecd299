import { readFileSync } from 'node:fs'
import { createServer as createHttpServer, STATUS_CODES, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { serve } from '@hono/node-server'
import { createIntakeApp } from './app.ts'
import { utcToday, type Clock } from './clock.ts'
import type { IntakeConfig } from './config.ts'
import { ensureCredential } from './credential.ts'
import { securityHeaderValues } from './http/security-headers.ts'
import { loadStaticFiles } from './http/static-files.ts'
import { byteLimits } from './limits.ts'
import { errorCode } from './problems.ts'
import type { GroupCommitOptions } from './storage/group-commit.ts'
import type { IntakeStore, StoreLimits } from './storage/intake-store.ts'
import { openPostgresStore } from './storage/postgres-store.ts'
import { openSqliteStore } from './storage/sqlite-store.ts'
import { openSqliteStoreInWorker } from './storage/sqlite-worker.ts'

/**
 * Starting the intake server on a socket: the store, the credential, the app, Node's HTTP server
 * with timeouts for slow clients, and the hourly purge of stale uploads. Used by `main.ts` and
 * by tests and benchmarks that need a real socket in-process.
 */

/** Slow clients: headers within 20 s, a whole request within 5 min (a 3 MiB body over Tor). */
export const TIMEOUTS = { headersMs: 20_000, requestMs: 300_000, keepAliveMs: 5_000, idleSocketMs: 60_000 } as const
const PURGE_EVERY_MS = 60 * 60 * 1000
const QUARANTINE_PER_INVITE = 5

/** Where the server's few lines go: a startup line and errors by code, never anything about a request. */
export interface ServerOutput {
  readonly line: (text: string) => void
  readonly error: (text: string) => void
}

export interface StartOptions {
  readonly clock?: Clock
  /** Benchmarks only (see `GroupCommitOptions.commit`). */
  readonly groupCommit?: Partial<GroupCommitOptions>
  /** Where the SQLite store runs (default: a worker thread; see {@link openStore}). */
  readonly storeThread?: 'worker' | 'main'
  /** Benchmarks only (see `AppDeps.benchmark`). */
  readonly benchmark?: 'discard'
  /** Told once when the store fails; `main.ts` exits so a supervisor restarts the server. */
  readonly onStorageFailure?: (error: unknown) => void
}

export interface RunningServer {
  readonly url: string
  readonly server: Server
  readonly store: IntakeStore
  /** Stops accepting, commits what is queued, closes the store. */
  close(): Promise<void>
}

/** The store limits that follow from the configured limits. */
export function storeLimits(config: IntakeConfig): StoreLimits {
  return { uploadsPerInvite: byteLimits(config.limits).uploadsPerInvite, quarantinePerInvite: QUARANTINE_PER_INVITE }
}

/**
 * Opens the configured store: PostgreSQL when a URL is given, else SQLite in the data directory,
 * on a worker thread unless `thread` is `main` (a worker needs this module as JavaScript or under
 * tsx, which an in-process Vitest run is not).
 */
export function openStore(config: IntakeConfig, thread: 'worker' | 'main' = 'worker'): Promise<IntakeStore> {
  if (config.postgresUrl !== null) return openPostgresStore(config.postgresUrl, storeLimits(config))
  return thread === 'worker' ? openSqliteStoreInWorker(config.dataDir, storeLimits(config)) : openSqliteStore(config.dataDir, storeLimits(config))
}

/** Answers a request Node could not parse (or that timed out) with the same security headers as every other answer. */
function answerClientError(headers: Readonly<Record<string, string>>) {
  return (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy()
      return
    }
    const status =
      error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
    const body = JSON.stringify({ error: 'request.malformed', message: 'The request could not be read.' })
    const lines = [
      `HTTP/1.1 ${String(status)} ${STATUS_CODES[status] ?? 'Bad Request'}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      'Content-Type: application/json',
      `Content-Length: ${String(Buffer.byteLength(body))}`,
      'Connection: close',
    ]
    socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`)
  }
}

function urlOf(address: AddressInfo, tls: boolean): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return `${tls ? 'https' : 'http'}://${host}:${String(address.port)}`
}

/**
 * Opens the store, makes the credential on the first start (printing it once), and listens.
 * Prints `analyst credential: <value>` as soon as it is made (first start only), then
 * `intake server: <url>` once the server accepts connections.
 *
 * @throws AmanatError from the store or the static directory; Node's errors when the address is taken.
 */
export async function startIntakeServer(config: IntakeConfig, output: ServerOutput, options: StartOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? utcToday
  const staticFiles = config.staticDir !== null ? loadStaticFiles(config.staticDir) : null
  const store = await openStore(config, options.storeThread)
  const credential = await ensureCredential(store)
  // Printed at once: if anything later failed (the port taken), a credential stored but never
  // shown would lock the analysts out for good.
  if (credential.created !== null) output.line(`analyst credential: ${credential.created}`)
  const tls = config.tls !== null
  const { app, committer, failClosed } = createIntakeApp({
    store,
    credentialHash: credential.hash,
    clock,
    limits: config.limits,
    rateLimits: config.rateLimits,
    staticFiles,
    tls,
    ...(options.groupCommit === undefined ? {} : { groupCommit: options.groupCommit }),
    ...(options.benchmark === undefined ? {} : { benchmark: options.benchmark }),
    onStorageFailure: (error) => {
      output.error(`intake server: storage failed (${errorCode(error)}); accepting nothing until restarted`)
      options.onStorageFailure?.(error)
    },
    logError: output.error,
  })

  const serverOptions = {
    headersTimeout: TIMEOUTS.headersMs,
    requestTimeout: TIMEOUTS.requestMs,
    keepAliveTimeout: TIMEOUTS.keepAliveMs,
    // How often Node looks for connections past those timeouts (its default, 30 s, would let a
    // slow client hold a connection for up to 50 s).
    connectionsCheckingInterval: 2_000,
    maxHeaderSize: 16 * 1024,
    ...(config.tls === null ? {} : { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) }),
  }
  const server = await new Promise<Server>((resolve, reject) => {
    const started = serve(
      {
        fetch: app.fetch,
        hostname: config.host,
        port: config.port,
        ...(tls ? { createServer: createHttpsServer, serverOptions } : { createServer: createHttpServer, serverOptions }),
      },
      () => {
        resolve(started as Server)
      },
    )
    started.once('error', reject)
    ;(started as Server).setTimeout(TIMEOUTS.idleSocketMs)
    started.on('clientError', answerClientError(securityHeaderValues(tls)))
  })

  const purge = () => {
    if (committer.failed) return
    // A failed write is a failed write: the store can no longer be trusted, as after a failed commit.
    store.purgeUploads(clock()).catch(failClosed)
  }
  purge()
  const purgeTimer = setInterval(purge, PURGE_EVERY_MS)
  purgeTimer.unref()

  const url = urlOf(server.address() as AddressInfo, tls)
  output.line(`intake server: ${url}`)

  return {
    url,
    server,
    store,
    close: async () => {
      clearInterval(purgeTimer)
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.closeAllConnections()
        }, 5000)
        server.close(() => {
          clearTimeout(force)
          resolve()
        })
        server.closeIdleConnections()
      })
      if (!committer.failed) await committer.drain()
      await store.close()
    },
  }
}
