import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { AmanatError } from '@amanat/domain'
import { ensureIntakeBundle, ensurePageBundle } from './bundles.ts'

/** How to start the intake server (the flags of its bundle, apps/intake-server/src/config.ts). */
export interface IntakeServerOptions {
  readonly dataDir: string
  readonly host?: string
  readonly port?: number
  readonly postgres?: string
  readonly tls?: { readonly certFile: string; readonly keyFile: string }
  /** Serve the questionnaire page (default true). */
  readonly page?: boolean
  /** Each line the server writes, as it comes (stdout lines, stderr lines). */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void
}

/** A running intake server child process. */
export interface IntakeChild {
  readonly url: string
  /** The analyst credential, printed on the server's first start only; null otherwise. */
  readonly credential: string | null
  readonly process: ChildProcess
  /** Resolves with the exit code when the server exits. */
  readonly exited: Promise<number>
  /** Asks the server to stop (SIGTERM) and waits for it. */
  stop(): Promise<number>
}

/** The bundle's command-line arguments for `options`. */
export function intakeServerArgs(options: IntakeServerOptions, staticDir: string | null): string[] {
  return [
    '--data', options.dataDir,
    '--host', options.host ?? '127.0.0.1',
    '--port', String(options.port ?? 8787),
    ...(options.postgres === undefined ? [] : ['--postgres', options.postgres]),
    ...(options.tls === undefined ? [] : ['--tls-cert', options.tls.certFile, '--tls-key', options.tls.keyFile]),
    ...(staticDir === null ? [] : ['--static', staticDir]),
  ]
}

/**
 * Builds what is missing, starts the intake server's bundle as a child process, and resolves once
 * it prints `intake server: <url>`.
 *
 * @throws AmanatError internal `serve.failed` when the server exits before it listens (its own
 *   error lines went to `onLine`).
 */
export async function startIntakeChild(options: IntakeServerOptions): Promise<IntakeChild> {
  const bundle = await ensureIntakeBundle()
  const staticDir = options.page === false ? null : await ensurePageBundle()
  const child = spawn(process.execPath, [bundle, ...intakeServerArgs(options, staticDir)], { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 0))))
  let credential: string | null = null
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      options.onLine?.(line, 'stdout')
      const credentialLine = /^analyst credential: (\S+)$/.exec(line)
      if (credentialLine?.[1] !== undefined) credential = credentialLine[1]
      const serverLine = /^intake server: (\S+)$/.exec(line)
      if (serverLine?.[1] !== undefined) resolve(serverLine[1])
    })
    createInterface({ input: child.stderr }).on('line', (line) => options.onLine?.(line, 'stderr'))
    void exited.then((code) => reject(new AmanatError('internal', 'serve.failed', `The intake server stopped before it was ready (exit ${String(code)}).`, { code })))
  })
  return {
    url,
    credential,
    process: child,
    exited,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      return exited
    },
  }
}
