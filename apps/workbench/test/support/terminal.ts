import type { Progress, Terminal } from '../../src/cli/terminal.ts'

/** A terminal that records what a command writes, and answers passphrases from `env` only. */
export interface CapturedTerminal extends Terminal {
  readonly stdout: string[]
  readonly stderr: string[]
}

const SILENT: Progress = { tick: () => undefined, done: () => undefined }

export function capturedTerminal(env: Record<string, string | undefined> = {}): CapturedTerminal {
  const stdout: string[] = []
  const stderr: string[] = []
  return {
    stdout,
    stderr,
    env,
    out: (line) => stdout.push(line),
    info: (line) => stderr.push(line),
    warn: (line) => stderr.push(`amanat: warning: ${line}`),
    progress: () => SILENT,
    passphrase: (_prompt, envName) => {
      const value = env[envName]
      if (value === undefined) return Promise.reject(new Error(`test terminal: ${envName} is not set`))
      return Promise.resolve(value)
    },
  }
}
