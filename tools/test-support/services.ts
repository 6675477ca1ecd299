import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { Socket } from 'node:net'

/**
 * Finding the real services tests run against. On a developer's machine without one, the tests
 * that need it are skipped with one line saying why; under CI=true a missing service is an error,
 * because CI must prove everything.
 */
const IN_CI = process.env.CI === 'true'

/** The PostgreSQL server for tests: AMANAT_TEST_POSTGRES or the local one, database `test`. */
export const POSTGRES_URL = process.env.AMANAT_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test'

function reachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket()
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('error', () => done(false))
    socket.connect(port, host, () => done(true))
  })
}

function unavailable(what: string, why: string): false {
  if (IN_CI) throw new Error(`${what} is required under CI=true but ${why}`)
  process.stderr.write(`skip: ${what} not available (${why}); its tests are skipped\n`)
  return false
}

/** True when PostgreSQL answers; false (with a one-line note) when it does not, outside CI. */
export async function postgresAvailable(): Promise<boolean> {
  const url = new URL(POSTGRES_URL)
  const ok = await reachable(url.hostname, Number(url.port || 5432))
  return ok || unavailable('PostgreSQL', `nothing answers at ${url.host}`)
}

/** Debian's Chromium, driven through playwright-core. */
export const CHROMIUM_PATH = process.env.AMANAT_CHROMIUM ?? '/usr/bin/chromium'

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH) || unavailable('Chromium', `${CHROMIUM_PATH} does not exist`)
}

/** Debian's `age` command, to prove our files interoperate. */
export function ageCliAvailable(): boolean {
  try {
    execFileSync('age', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return unavailable('the age command', 'it is not on PATH')
  }
}

/** Debian's Noto fonts for Arabic-script and Chinese text (fonts-noto-core, fonts-noto-cjk), found through fontconfig. */
export function notoFontsAvailable(): boolean {
  const families = ['Noto Sans Arabic', 'Noto Sans CJK SC']
  try {
    const listed = execFileSync('fc-list', [':', 'family'], { encoding: 'utf8' })
    const missing = families.filter((family) => !listed.includes(family))
    return missing.length === 0 || unavailable('Noto fonts', `fontconfig lists no ${missing.join(' or ')}`)
  } catch {
    return unavailable('Noto fonts', 'fc-list is not on PATH')
  }
}

/** strace, to inject system-call faults and to watch every file a process writes. */
export function straceAvailable(): boolean {
  try {
    execFileSync('strace', ['-qq', '-o', '/dev/null', 'true'], { stdio: 'ignore' })
    return true
  } catch {
    return unavailable('strace', 'it is not installed or not permitted (apt-get install strace)')
  }
}
