import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { main } from '../src/cli/main.ts'
import { capturedTerminal } from './support/terminal.ts'

/** What a command printed, and its exit code. */
export interface CapturedRun {
  readonly code: number
  readonly stdout: string[]
  readonly stderr: string[]
}

export const TEST_PASSPHRASE = 'a test passphrase, long enough'
export const TEST_BACKUP_PASSPHRASE = 'a different backup passphrase'

/** Runs `amanat <argv>` in-process. */
export async function amanat(argv: string[], env: Record<string, string | undefined> = {}): Promise<CapturedRun> {
  const terminal = capturedTerminal(env)
  const code = await main(argv, terminal)
  return { code, stdout: terminal.stdout, stderr: terminal.stderr }
}

export const PASSPHRASES = { AMANAT_PASSPHRASE: TEST_PASSPHRASE, AMANAT_BACKUP_PASSPHRASE: TEST_BACKUP_PASSPHRASE }

const made: string[] = []
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'amanat-wb-'))
  made.push(dir)
  return dir
}

/** Every file below `dir`, recursively. */
export function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    // Regular files only (a browser's profile holds sockets), and what is gone by now is passed over.
    const stat = statSync(path, { throwIfNoEntry: false })
    return stat?.isDirectory() === true ? filesBelow(path) : stat?.isFile() === true ? [path] : []
  })
}

/** Runs `work` with the environment variables in `variables` set, and puts them back afterwards. */
export async function withEnvironment<T>(variables: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const before = Object.keys(variables).map((name) => [name, process.env[name]] as const)
  Object.assign(process.env, variables)
  try {
    return await work()
  } finally {
    for (const [name, value] of before) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

/** Runs `work` with the system's temporary folder (TMPDIR, and so `os.tmpdir()`) set to `folder`. */
export function inTemporaryFolder<T>(folder: string, work: () => Promise<T>): Promise<T> {
  return withEnvironment({ TMPDIR: folder }, work)
}

/** Whether any file below `dir` contains `needle` (as UTF-8 bytes). */
export function anyFileContains(dir: string, needle: string): string | null {
  const bytes = Buffer.from(needle, 'utf8')
  for (const file of filesBelow(dir)) if (readFileSync(file).includes(bytes)) return file
  return null
}
