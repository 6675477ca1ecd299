/**
 * Intake throughput (DESIGN.md, "Performance"): sealed 4 KB submissions accepted per second with
 * durable storage, at 50 connections, with two ratios measured in the same run:
 * - to the same server reading the same POST and acknowledging it without any check or write
 *   (target ≥ 0.4);
 * - to the same route doing every check and write but rolling back instead of committing, so no
 *   fsync (target ≥ 0.8);
 * and the p99 latency of the durable route (target < 25 ms). Each variant is its own server
 * process (bench/intake-child.ts), so autocannon and the server each have a core.
 *
 * Also the timing of the five invite states (T16): sequential submissions alternating fresh, used,
 * expired, revoked and forged invites; the largest difference between any two states' median and
 * 90th percentile (targets < 5 ms and < 10 ms).
 *
 *   npx tsx bench/intake.ts [--full]
 *
 * With AMANAT_BENCH_PROFILE=<dir>, each server process writes a CPU profile (every thread) there.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import autocannon from 'autocannon'
import { newRecipients, seal } from '../apps/intake-server/test/support/age.ts'
import { framed, newRandomId, newToken, signedQuestionnaire, tokenHashOf } from '../apps/intake-server/test/support/fixtures.ts'
import { formatRows, machineCpuTicks, median, medianRow, processCpuSeconds, processWrittenBytes, type BenchRow } from './bench-row.ts'

const CONNECTIONS = 50
const Q = 'bench-q'
const SEALED = 'application/x-amanat-sealed'
/** More than any variant accepts per second here; fresh invites for every durable submission. */
const CEILING_PER_SECOND = 25_000
/** The unrecorded load each server takes before the measured runs. */
const WARM_UP_SECONDS = 1

type Mode = 'durable' | 'rollback' | 'discard'
/** The variants, in the order their rows are printed. */
const MODES = ['durable', 'rollback', 'discard'] as const

interface Child {
  readonly url: string
  readonly credential: string
  readonly process: ChildProcess
}

async function startChild(mode: Mode, dataDir: string): Promise<Child> {
  // AMANAT_BENCH_PROFILE=<dir>: each server writes a CPU profile there when it stops (`--cpu-prof`).
  const profile = process.env.AMANAT_BENCH_PROFILE
  const flags = profile === undefined || profile === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${profile}`]
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', join(import.meta.dirname, 'intake-child.ts'), mode, dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let credential = ''
  const lines = createInterface({ input: child.stdout })
  for await (const line of lines) {
    if (line.startsWith('analyst credential: ')) credential = line.slice('analyst credential: '.length)
    if (line.startsWith('intake server: ')) {
      lines.close()
      return { url: line.slice('intake server: '.length), credential, process: child }
    }
  }
  throw new Error(`the ${mode} server did not start`)
}

async function admin(child: Child, method: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${child.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${child.credential}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (response.status !== 200) throw new Error(`${method} ${path}: ${String(response.status)}`)
}

async function invite(child: Child, tokens: readonly string[], expiresOn = '2099-12-31'): Promise<void> {
  for (let at = 0; at < tokens.length; at += 10_000) {
    const invites = tokens.slice(at, at + 10_000).map((token) => ({ tokenHash: tokenHashOf(token), expiresOn }))
    await admin(child, 'POST', '/api/admin/invites', { questionnaireId: Q, invites })
  }
}

interface LoadResult {
  readonly perSecond: number
  /** The server process's CPU (every thread) per acknowledged request, in µs. */
  readonly serverCpu: number
  /** Bytes the server process wrote (files and sockets) per acknowledged request. */
  readonly serverWritten: number
  readonly p99: number
  readonly acknowledged: number
  /** The share of the machine's CPU (every core) in use during the run: server, load generator and all else. */
  readonly machineBusy: number
  /** This process's CPU (autocannon and the bodies it builds) per acknowledged request, in µs. */
  readonly loadCpu: number
}

/** One autocannon run of `seconds` at 50 connections; each request's body from `nextBody`. */
async function load(child: Child, seconds: number, nextBody: () => Uint8Array): Promise<LoadResult> {
  const cpuBefore = processCpuSeconds(child.process.pid)
  const writtenBefore = processWrittenBytes(child.process.pid)
  const machineBefore = machineCpuTicks()
  const loadBefore = process.cpuUsage()
  const result = await autocannon({
    url: child.url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/api/submissions',
        headers: { 'content-type': SEALED },
        setupRequest: (request) => ({ ...request, body: Buffer.from(nextBody()) }),
      },
    ],
  })
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`a load run had ${String(result.non2xx)} non-2xx answers, ${String(result.errors)} errors, ${String(result.timeouts)} timeouts`)
  }
  const loadUsed = process.cpuUsage(loadBefore)
  const machine = machineCpuTicks()
  const serverCpu = ((processCpuSeconds(child.process.pid) - cpuBefore) * 1e6) / result['2xx']
  const serverWritten = (processWrittenBytes(child.process.pid) - writtenBefore) / result['2xx']
  return {
    perSecond: result['2xx'] / seconds,
    serverCpu,
    serverWritten,
    p99: result.latency.p99,
    acknowledged: result['2xx'],
    machineBusy: (machine.busy - machineBefore.busy) / (machine.total - machineBefore.total),
    loadCpu: (loadUsed.user + loadUsed.system) / result['2xx'],
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN
}

/** Requests one used, expired or revoked invite takes in the timing runs: under the per-invite burst (400). */
const PER_STATE_TOKEN = 200

/** Sequential submissions cycling through the five invite states; per-state latencies in ms. */
async function stateTimings(child: Child, bodies: readonly Uint8Array[], perState: number): Promise<Map<string, number[]>> {
  const fresh = Array.from({ length: perState }, newToken)
  // Several of each kept state, so that no invite runs into its rate limit (a 429) in a long run.
  const tokensPerState = Math.ceil(perState / PER_STATE_TOKEN)
  const tokens = () => Array.from({ length: tokensPerState }, newToken)
  const [used, expired, revoked] = [tokens(), tokens(), tokens()]
  await invite(child, [...fresh, ...used, ...revoked])
  await invite(child, expired, '2000-01-01')
  await admin(child, 'POST', '/api/admin/invites/revoke', { tokenHashes: revoked.map(tokenHashOf) })
  const send = async (token: string, body: Uint8Array) => {
    const started = performance.now()
    const response = await fetch(`${child.url}/api/submissions`, {
      method: 'POST',
      headers: { 'content-type': SEALED },
      body: Buffer.from(framed({ v: 1, token, id: newRandomId() }, body)),
    })
    await response.arrayBuffer()
    if (response.status !== 200) throw new Error(`state timing: ${String(response.status)}`)
    return performance.now() - started
  }
  for (const token of used) await send(token, bodies[0]!)
  const times = new Map<string, number[]>([['fresh', []], ['used', []], ['expired', []], ['revoked', []], ['forged', []]])
  for (let i = 0; i < perState; i++) {
    const body = bodies[i % bodies.length]!
    const k = Math.floor(i / PER_STATE_TOKEN)
    times.get('fresh')!.push(await send(fresh[i]!, body))
    times.get('used')!.push(await send(used[k]!, body))
    times.get('expired')!.push(await send(expired[k]!, body))
    times.get('revoked')!.push(await send(revoked[k]!, body))
    times.get('forged')!.push(await send(newToken(), body))
  }
  return times
}

function largestDifference(times: Map<string, number[]>, statistic: (values: number[]) => number): number {
  const values = [...times.values()].map(statistic)
  return Math.max(...values) - Math.min(...values)
}

export async function benchIntake(options: { quick: boolean }): Promise<BenchRow[]> {
  const runs = options.quick ? 3 : 5
  const seconds = options.quick ? 3 : 10
  const recipients = newRecipients(2)
  // 4 KiB of padded answers: the smallest submission bucket, sealed to an analyst and the backup.
  const sealedPool = await Promise.all(
    Array.from({ length: 32 }, (_, i) => seal(`{"answers":{"q1":"synthetic ${String(i)}"}}`.padEnd(4096, ' '), recipients)),
  )
  const dir = mkdtempSync(join(tmpdir(), 'amanat-bench-intake-'))
  const children: Child[] = []
  try {
    const servers = {} as Record<Mode, Child>
    for (const mode of ['discard', 'rollback', 'durable'] as const) {
      const child = await startChild(mode, join(dir, mode))
      children.push(child)
      await admin(child, 'PUT', `/api/admin/questionnaires/${Q}`, signedQuestionnaire(Q, recipients))
      servers[mode] = child
    }
    // Rolled-back submissions leave their invites fresh, so a fixed set serves every rollback run.
    const rollbackTokens = Array.from({ length: 20_000 }, newToken)
    await invite(servers.rollback, rollbackTokens)
    /** One load run on each server, in turn; fresh invites for every durable submission. */
    const round = async (runSeconds: number): Promise<Record<Mode, LoadResult>> => {
      let n = 0
      const pick = () => sealedPool[n++ % sealedPool.length]!
      const discard = await load(servers.discard, runSeconds, () => framed({ v: 1, token: newToken(), id: newRandomId() }, pick()))
      const rollback = await load(servers.rollback, runSeconds, () => framed({ v: 1, token: rollbackTokens[n % rollbackTokens.length], id: newRandomId() }, pick()))
      const fresh = Array.from({ length: CEILING_PER_SECOND * runSeconds }, newToken)
      await invite(servers.durable, fresh)
      let next = 0
      const durable = await load(servers.durable, runSeconds, () => {
        const token = fresh[next++]
        if (token === undefined) throw new Error('the durable run outran its fresh invites')
        return framed({ v: 1, token, id: newRandomId() }, pick())
      })
      return { discard, rollback, durable }
    }
    // One unrecorded second on each server first. A new process serves its first second or so
    // before the JIT has compiled the route, with a third to a half fewer requests: a third of a
    // quick 3-second run, and it falls unevenly on the variants (docs/decisions/0023).
    const warmUp = await round(WARM_UP_SECONDS)
    const rounds: Record<Mode, LoadResult>[] = []
    for (let run = 0; run < runs; run++) rounds.push(await round(seconds))
    /** One figure of one variant, run by run. */
    const each = (mode: Mode, figure: (result: LoadResult) => number): number[] => rounds.map((r) => figure(r[mode]))
    const perSecond = Object.fromEntries(MODES.map((mode) => [mode, each(mode, (r) => r.perSecond)])) as Record<Mode, number[]>
    // The warm-up's submissions are stored too. Each run (the warm-up included) may leave up to
    // one request per connection stored but not yet answered when it stops.
    const acknowledgedDurable = [warmUp, ...rounds].reduce((sum, r) => sum + r.durable.acknowledged, 0)

    // Every acknowledgement must be a stored submission: count them back through the pull API. (A
    // run's last requests may be stored after autocannon stopped counting answers: at most one per
    // connection per run.)
    let stored = 0
    for (let after = 0; ; ) {
      const response = await fetch(`${servers.durable.url}/api/admin/chain?after=${String(after)}`, {
        headers: { authorization: `Bearer ${servers.durable.credential}` },
      })
      const { entries } = (await response.json()) as { entries: { seq: number; kind: string }[] }
      if (entries.length === 0) break
      stored += entries.filter((e) => e.kind === 'submission').length
      after = entries[entries.length - 1]!.seq
    }
    if (stored < acknowledgedDurable || stored > acknowledgedDurable + CONNECTIONS * (runs + 1)) throw new Error(`${String(acknowledgedDurable)} acknowledged but ${String(stored)} stored`)

    const timings = await stateTimings(servers.durable, sealedPool, options.quick ? 200 : 1000)
    const medianDifference = largestDifference(timings, median)
    const p90Difference = largestDifference(timings, (values) => percentile(values, 0.9))

    const durableMedian = median(perSecond.durable)
    /** Durable throughput as a ratio to a baseline measured in the same runs. */
    const durableRatio = (to: string, baseline: readonly number[], target: string): BenchRow => ({
      name: `intake: durable ÷ ${to}`,
      unit: '×',
      median: durableMedian / median(baseline),
      runs: perSecond.durable.map((v, i) => v / (baseline[i] ?? Number.NaN)),
      ratio: { to, value: durableMedian / median(baseline) },
      target,
    })
    return [
      { name: 'intake: 4 KB sealed submissions, durable (SQLite FULL, group commit)', unit: 'req/s', median: durableMedian, runs: perSecond.durable },
      {
        name: 'intake: same POST read and discarded (ceiling)',
        unit: 'req/s',
        median: median(perSecond.discard),
        runs: perSecond.discard,
      },
      durableRatio('discard', perSecond.discard, '≥ 0.4'),
      {
        name: 'intake: same route, every check and write, rolled back (no fsync)',
        unit: 'req/s',
        median: median(perSecond.rollback),
        runs: perSecond.rollback,
      },
      durableRatio('rolled back', perSecond.rollback, '≥ 0.8'),
      ...MODES.map((mode) => medianRow(`intake: server CPU per request, ${mode} (every thread)`, 'µs', each(mode, (r) => r.serverCpu))),
      // Whether a variant is held back by CPU (the two cores full) or by waiting (the durable
      // route's commits: its 50 connections are each waiting on one; docs/decisions/0024).
      ...MODES.map((mode) =>
        medianRow(
          `intake: machine CPU in use during the ${mode} runs (2 cores, load generator included)`,
          '%',
          each(mode, (r) => r.machineBusy * 100),
        ),
      ),
      medianRow('intake: load generator CPU per request, durable runs', 'µs', each('durable', (r) => r.loadCpu)),
      // The 4 KB sealed body plus what storing it costs: WAL frames, checkpoint copies, the answer.
      medianRow('intake: bytes written per durable submission (server process, files and sockets)', 'B', each('durable', (r) => r.serverWritten)),
      medianRow('intake: durable p99 latency at 50 connections', 'ms', each('durable', (r) => r.p99), '< 25 ms'),
      {
        name: 'intake: invite states, largest difference of medians',
        unit: 'ms',
        median: medianDifference,
        runs: [medianDifference],
        target: '< 5 ms',
      },
      {
        name: 'intake: invite states, largest difference of 90th percentiles',
        unit: 'ms',
        median: p90Difference,
        runs: [p90Difference],
        target: '< 10 ms',
      },
    ]
  } finally {
    for (const child of children) child.process.kill('SIGTERM')
    await new Promise((resolve) => setTimeout(resolve, 500))
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const rows = await benchIntake({ quick: !process.argv.includes('--full') })
  process.stdout.write(`${formatRows(rows)}\n`)
}
