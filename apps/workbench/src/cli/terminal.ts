import { usageError } from '@amanat/domain'

/**
 * The CLI's only door to the outside world: machine output alone on stdout, everything for people
 * (messages, warnings, progress) on stderr, progress bars only when stderr is a terminal, and
 * passphrases from a hidden prompt or from the environment for scripts. Commands receive one of
 * these, so tests can run them in-process with captured streams.
 */
export interface Terminal {
  /** Machine output (`--json`) and the lines a script reads (links, labelled lines). */
  out(line: string): void
  /** Messages for people. */
  info(line: string): void
  warn(line: string): void
  /** A progress reporter; silent unless stderr is a terminal. Call `done()` at the end. */
  progress(label: string, total: number): Progress
  /**
   * A passphrase: from `envName` when set (scripts), else a hidden prompt on the terminal (asked
   * twice when `confirm`). Throws `usage` when neither is possible, so a script never hangs.
   */
  passphrase(prompt: string, envName: string, options?: { confirm?: boolean }): Promise<string>
  readonly env: Readonly<Record<string, string | undefined>>
}

export interface Progress {
  tick(done: number): void
  done(): void
}

const SILENT: Progress = { tick: () => undefined, done: () => undefined }

export function processTerminal(): Terminal {
  const stderrIsTty = process.stderr.isTTY
  return {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    info: (line) => process.stderr.write(`${line}\n`),
    warn: (line) => process.stderr.write(`amanat: warning: ${line}\n`),
    progress: (label, total) => (stderrIsTty ? progressBar(label, total) : SILENT),
    passphrase: async (prompt, envName, options = {}) => {
      const fromEnv = process.env[envName]
      if (fromEnv !== undefined && fromEnv !== '') return fromEnv
      if (!process.stdin.isTTY || !stderrIsTty) {
        throw usageError('passphrase.unavailable', `No terminal to ask for the passphrase: set ${envName} for scripts.`)
      }
      const first = await promptHidden(`${prompt}: `)
      if (options.confirm === true) {
        const second = await promptHidden('Again, to confirm: ')
        if (second !== first) throw usageError('passphrase.mismatch', 'The two passphrases differ; nothing was changed.')
      }
      return first
    },
  }
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin
    process.stderr.write(question)
    stdin.setRawMode(true)
    stdin.resume()
    stdin.setEncoding('utf8')
    let value = ''
    const finish = (error?: Error) => {
      stdin.setRawMode(false)
      stdin.pause()
      stdin.removeListener('data', onData)
      process.stderr.write('\n')
      if (error) reject(error)
      else resolve(value)
    }
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish()
        if (ch === '\u0003') return finish(usageError('passphrase.cancelled', 'Cancelled.'))
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
        else value += ch
      }
    }
    stdin.on('data', onData)
  })
}

function progressBar(label: string, total: number): Progress {
  const started = Date.now()
  let shown = false
  let last = 0
  const draw = (done: number) => {
    const width = 30
    const ratio = total > 0 ? Math.min(1, done / total) : 0
    const filled = Math.round(ratio * width)
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(ratio * 100))}%`)
  }
  return {
    tick(done) {
      const now = Date.now()
      // Only for work that takes more than a second, and at most ten redraws a second.
      if (now - started < 1000 || now - last < 100) return
      last = now
      shown = true
      draw(done)
    },
    done() {
      if (shown) {
        draw(total)
        process.stderr.write('\n')
      }
    },
  }
}
