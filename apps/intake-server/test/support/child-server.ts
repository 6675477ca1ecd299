import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

/**
 * The intake server as the deployable it is: the esbuild bundle (dist/server.mjs) run by Node in
 * a child process on 127.0.0.1 with a port the system picks. For crash, load, reset and
 * multi-process tests, and for scanning everything the process printed.
 */

const APP = join(import.meta.dirname, '..', '..')
export const BUNDLE = join(APP, 'dist', 'server.mjs')

let built = false

/** Children still running when the test process exits are killed, so a failed test leaves no server behind. */
const live = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

/** Builds dist/server.mjs once per test file (the build replaces the file atomically). */
export function buildBundle(): string {
  if (!built) {
    execFileSync(process.execPath, [join(APP, 'build.mjs')], { stdio: 'ignore' })
    built = true
  }
  return BUNDLE
}

export interface ChildServer {
  readonly url: string
  /** The credential line's value, on the first start of a store; null after. */
  readonly credential: string | null
  readonly process: ChildProcess
  /** Everything the process wrote, as it arrives. */
  readonly stdout: string[]
  readonly stderr: string[]
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>
}

/**
 * Starts the bundle with `args` (add `--port 0`) and resolves once it prints its URL.
 *
 * @throws Error when the process exits or prints nothing within `timeoutMs`.
 */
export async function startChildServer(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 15_000): Promise<ChildServer> {
  const child = spawn(process.execPath, [buildBundle(), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, ...env },
  })
  const stdout: string[] = []
  const stderr: string[] = []
  live.add(child)
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      live.delete(child)
      resolve(code)
    }),
  )
  child.stderr.setEncoding('utf8').on('data', (text: string) => stderr.push(text))
  return new Promise<ChildServer>((resolve, reject) => {
    let buffered = ''
    let credential: string | null = null
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the intake server did not start: ${stderr.join('')}`))
    }, timeoutMs)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`the intake server exited with ${String(code)}: ${stderr.join('')}`))
    })
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout.push(text)
      buffered += text
      for (;;) {
        const newline = buffered.indexOf('\n')
        if (newline < 0) break
        const line = buffered.slice(0, newline)
        buffered = buffered.slice(newline + 1)
        if (line.startsWith('analyst credential: ')) credential = line.slice('analyst credential: '.length)
        if (line.startsWith('intake server: ')) {
          clearTimeout(timer)
          resolve({
            url: line.slice('intake server: '.length),
            credential,
            process: child,
            stdout,
            stderr,
            exited,
            stop: async () => {
              if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
              await exited
            },
          })
        }
      }
    })
  })
}
