import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sized } from '../../../tools/test-support/profile.ts'
import { straceAvailable } from '../../../tools/test-support/services.ts'
import { openSqliteStore, sha256Hex } from '../src/index.ts'
import { newRecipients, sealRandom } from './support/age.ts'
import { buildBundle, startChildServer } from './support/child-server.ts'
import { AdminClient, postSubmission } from './support/client.ts'
import { newRandomId, newToken, tokenHashOf } from './support/fixtures.ts'

/**
 * T02: every acknowledgement is written to its socket after an fsync that completed after its
 * request was read. T03: an fsync or a write that fails is never acknowledged; the server does not retry and then
 * acknowledge, but answers 503 and exits (75), and a restart without the fault finds every
 * acknowledged submission and a store that passes its check. The faults are real system-call
 * errors, injected with strace into the bundled server.
 */

const Q = 'fault-q'

/** Starts the bundle under strace with `options`. */
function startTraced(dataDir: string, options: string[]) {
  const child = spawn(
    'strace',
    ['-f', '-qq', ...options, process.execPath, buildBundle(), '--data', dataDir, '--port', '0'],
    // Its own process group, so that strace and the server it runs can be stopped together.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH }, detached: true },
  )
  child.stderr.resume()
  // If the test process dies first, take strace and the server with it.
  const reap = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  process.once('exit', reap)
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.off('exit', reap)
      resolve(code)
    }),
  )
  const started = (async () => {
    let credential: string | null = null
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.startsWith('analyst credential: ')) credential = line.slice('analyst credential: '.length)
      if (line.startsWith('intake server: ')) return { url: line.slice('intake server: '.length), credential }
    }
    return null
  })()
  return { child, exited, started }
}

describe.runIf(straceAvailable())('durability at the system-call level (T02, T03)', () => {
  let recipients: string[]
  let body: Buffer

  beforeAll(async () => {
    recipients = newRecipients(2)
    body = await sealRandom(4096, recipients)
  })

  const dirs: string[] = []
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })

  it(`acknowledges only after an fsync that followed the request (T02)`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'amanat-intake-order-'))
    dirs.push(dataDir)
    const trace = join(dataDir, '..', `${dataDir.split('/').pop() ?? 'x'}.strace`)
    dirs.push(trace)
    const traced = startTraced(dataDir, ['-s', '64', '-y', '-o', trace, '-e', 'trace=read,write,writev,fsync,fdatasync'])
    const started = await traced.started
    if (started === null) throw new Error('the traced server did not start')
    const admin = new AdminClient(started.url, started.credential!)
    await admin.publish(Q, recipients)
    const tokens = Array.from({ length: sized(100, 500) }, newToken)
    await admin.invite(Q, tokens)
    let acks = 0
    for (let at = 0; at < tokens.length; at += 10) {
      const statuses = await Promise.all(tokens.slice(at, at + 10).map((token) => postSubmission(started.url, token, newRandomId(), body)))
      acks += statuses.filter((status) => status === 200).length
    }
    // strace alone would only detach: signal the group it leads (strace and the server).
    process.kill(-traced.child.pid!, 'SIGTERM')
    await traced.exited
    expect(acks).toBe(tokens.length)

    // Lines are in the order the kernel saw the calls; a call interrupted by another thread's is
    // split into "<unfinished ...>" and "<... name resumed>" lines, the latter at its completion.
    const lastRequest = new Map<string, number>()
    const pending = new Map<string, string>() // pid → fd of its unfinished read or write
    const walSync = new Map<string, boolean>() // pid → whether its last fsync was of the WAL
    let lastSync = -1
    let checked = 0
    const unsynced: string[] = []
    readFileSync(trace, 'utf8').split('\n').forEach((raw, at) => {
      // strace pads the pid column to a width, so split on the first run of spaces.
      const columns = /^(\d+)\s+(.*)$/.exec(raw)
      const pid = columns?.[1] ?? ''
      let line = columns?.[2] ?? raw
      // -y prints each descriptor's path after it (fd<path>). Only an fsync of the WAL counts: the
      // checkpoint thread also fsyncs the main file, which says nothing about a commit.
      // (A socket's path holds "->" itself: a path ends at the ">" before ",", ")" or a space.)
      const sync = /^f(?:data)?sync\(\d+<(.*?)>(?=[,)\s])/.exec(line)
      if (sync !== null) walSync.set(pid, (sync[1] ?? '').endsWith('-wal'))
      if (/^<\.\.\. f(data)?sync resumed>/.test(line) || sync !== null) {
        if (walSync.get(pid) === true && /= 0\s*$/.test(line)) lastSync = at
        return
      }
      line = line.replace(/^([a-z0-9]+)\((\d+)<.*?>(?=[,)\s])/, '$1($2')
      const unfinished = /^(read|writev?)\((\d+),\s+<unfinished/.exec(line)
      if (unfinished?.[2] !== undefined) pending.set(pid, unfinished[2])
      const resumed = /^<\.\.\. (read|writev?) resumed>(.*)$/.exec(line)
      if (resumed !== null) line = `${resumed[1] ?? ''}(${pending.get(pid) ?? '-1'}, ${resumed[2] ?? ''}`
      const request = /^read\((\d+), "POST \/api\/submissions /.exec(line)
      if (request?.[1] !== undefined) lastRequest.set(request[1], at)
      const answer = /^writev?\((\d+), (\[\{iov_base=)?"HTTP\/1\.1 200 /.exec(line)
      if (answer?.[1] !== undefined && lastRequest.has(answer[1])) {
        checked += 1
        if (lastSync < (lastRequest.get(answer[1]) ?? Infinity)) unsynced.push(raw)
      }
    })
    expect(checked).toBe(tokens.length)
    expect(unsynced).toEqual([])
  })

  // The store's first start makes about a dozen fsync calls (schema, credential, publishing and
  // inviting); each group commit makes one more. Faults land from the setup to the submissions.
  const points = Array.from({ length: sized(4, 50) }, (_, i) => ({
    syscall: i % 2 === 0 ? 'fsync' : 'pwrite64',
    error: i % 2 === 0 ? 'EIO' : 'ENOSPC',
    from: i % 2 === 0 ? 12 + ((i * 7) % 25) : 100 + ((i * 13) % 60),
  }))

  it.each(points)('never acknowledges past a failed $syscall ($error from call $from)', async ({ syscall, error, from }) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'amanat-intake-fault-'))
    dirs.push(dataDir)
    const faulty = startTraced(dataDir, ['-o', '/dev/null', '-e', `trace=${syscall}`, '-e', `inject=${syscall}:error=${error}:when=${String(from)}+`])
    const started = await faulty.started
    const acked: string[] = []
    const answers: (number | null)[] = []
    if (started !== null) {
      const admin = new AdminClient(started.url, started.credential ?? '')
      const tokens = Array.from({ length: 40 }, newToken)
      try {
        await admin.publish(Q, recipients)
        await admin.invite(Q, tokens)
      } catch {
        // The fault hit publishing or inviting: the server must have stopped all the same.
      }
      for (const token of tokens) {
        const status = await postSubmission(started.url, token, newRandomId(), body)
        answers.push(status)
        if (status === 200) acked.push(`${tokenHashOf(token)} ${sha256Hex(body)}`)
      }
    }
    const code = await faulty.exited
    // The fault was hit, answered with 503s (or a closed socket), and the process stopped for its
    // supervisor with the storage exit code (or never started, if the fault hit its first writes).
    if (started !== null) {
      expect(code).toBe(75)
      expect(answers.some((status) => status !== 200)).toBe(true)
    } else expect(code).not.toBe(0)
    // Once anything failed, nothing after it was acknowledged.
    const firstFailure = answers.findIndex((status) => status !== 200)
    if (firstFailure >= 0) expect(answers.slice(firstFailure).filter((status) => status === 200)).toEqual([])
    expect(answers.filter((status) => status !== 200 && status !== 503 && status !== null)).toEqual([])

    // Without the fault: every acknowledged submission is there, and the store checks out.
    expect(readdirSync(dataDir).filter((name) => !name.startsWith('intake.db'))).toEqual([])
    const store = await openSqliteStore(dataDir, { uploadsPerInvite: 10, quarantinePerInvite: 5 })
    try {
      expect((await store.check()).problems).toEqual([])
      const stored = new Set((await store.itemsAfter(0, 1000, 1 << 30)).map((item) => `${item.tokenHash} ${item.sha256}`))
      expect(acked.filter((key) => !stored.has(key))).toEqual([])
    } finally {
      await store.close()
    }
    const again = await startChildServer(['--data', dataDir, '--port', '0'])
    await again.stop()
  })
})
