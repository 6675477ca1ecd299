/**
 * How fast this machine is, so that figures from different days can be compared. Machines of the
 * same kind here differ by more than 2× in CPU speed (the 1,000,000-respondent study load took
 * 169 s on one and about 2.7× longer per respondent on another), and a ratio such as the intake's
 * durable ÷ discard depends on how the disk's flush compares with the CPU. Nor is one machine's
 * speed constant: on 2026-11-27 the CPU reference below read 47–75 µs in runs a minute apart, with
 * no steal time counted, so a figure compares with another only when both were measured in the
 * same run (as every ratio here is) or beside the same reference. Three fixed workloads,
 * each the median of several rounds, none of them Amanat's own code:
 * - CPU: each body of a fixed synthetic study serialised to JSON, hashed (SHA-256) and sealed
 *   (ChaCha20-Poly1305), the shape of the work on every write path;
 * - SQLite: rows inserted into an in-memory table in one transaction (no disk, no cipher);
 * - flush: a 4 KB append to a file followed by `fsync`, which every durable commit waits for.
 *
 *   npx tsx bench/run.ts --only machine
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers'
import { parseCodebook } from '@amanat/domain'
import { generateStudy } from '@amanat/synthetic'
import { median, medianRow, type BenchRow } from './bench-row.ts'

const ROUNDS = 5
const BODIES = 2_000
const ROWS = 50_000
const FLUSHES = 200

/** The CPU's model name, from /proc/cpuinfo; `unknown` where unreadable. */
export function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'))
    return line?.split(':')[1]?.trim() ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

function cpuRound(bodies: readonly unknown[], key: Buffer): number {
  const started = performance.now()
  for (const body of bodies) {
    const json = Buffer.from(JSON.stringify(body), 'utf8')
    const cipher = createCipheriv('chacha20-poly1305', key, randomBytes(12), { authTagLength: 16 })
    const sealed = Buffer.concat([cipher.update(json), cipher.final(), cipher.getAuthTag()])
    createHash('sha256').update(sealed).digest()
  }
  return ((performance.now() - started) * 1000) / bodies.length
}

function sqliteRound(): number {
  const db = new BetterSqlite3(':memory:')
  try {
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, country TEXT, year INTEGER, note TEXT)')
    const insert = db.prepare('INSERT INTO t (id, kind, country, year, note) VALUES (?, ?, ?, ?, ?)')
    const note = 'x'.repeat(200)
    const started = performance.now()
    db.transaction(() => {
      for (let i = 0; i < ROWS; i++) insert.run(i, `kind_${String(i % 23)}`, i % 3 === 0 ? null : 'TR', 2000 + (i % 25), note)
    })()
    return ((performance.now() - started) * 1000) / ROWS
  } finally {
    db.close()
  }
}

function flushRound(dir: string): number {
  const fd = openSync(join(dir, 'flush.bin'), 'a')
  const block = randomBytes(4096)
  const times: number[] = []
  try {
    for (let i = 0; i < FLUSHES; i++) {
      const started = performance.now()
      writeSync(fd, block)
      fsyncSync(fd)
      times.push(performance.now() - started)
    }
  } finally {
    closeSync(fd)
  }
  return median(times)
}

export function benchMachine(): BenchRow[] {
  const codebookFile = fileURLToPath(new URL('../packages/domain/codebook/default.yaml', import.meta.url))
  const codebook = parseCodebook(readFileSync(codebookFile, 'utf8'), 'default.yaml')
  const bodies = [...generateStudy({ seed: 'machine-reference', respondents: BODIES, codebook })]
  const key = randomBytes(32)
  cpuRound(bodies, key) // warm-up: the JIT, not the machine
  const cpu = Array.from({ length: ROUNDS }, () => cpuRound(bodies, key))
  sqliteRound()
  const sqlite = Array.from({ length: ROUNDS }, () => sqliteRound())
  const dir = mkdtempSync(join(tmpdir(), 'amanat-bench-machine-'))
  let flush: number[]
  try {
    flush = Array.from({ length: ROUNDS }, () => flushRound(dir))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const label = `${cpuModel()}, ${String(availableParallelism())} cores, Node ${process.version}`
  return [
    medianRow(`machine: CPU reference, JSON + SHA-256 + ChaCha20-Poly1305 per synthetic body (${label})`, 'µs', cpu),
    medianRow('machine: SQLite reference, one row inserted in memory', 'µs', sqlite),
    medianRow(`machine: disk flush, 4 KB append + fsync under ${tmpdir()}`, 'ms', flush),
  ]
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const { formatRows } = await import('./bench-row.ts')
  process.stdout.write(`${formatRows(benchMachine())}\n`)
}
