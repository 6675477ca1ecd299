/**
 * Events written per second through `WorkspaceStore.appendBatch`, in batches of 1 and of 1,000,
 * on encrypted SQLite, plain SQLite (the same driver with no key) and PostgreSQL, each the median
 * of several bounded runs on a fresh store, with ratios to plain SQLite measured in the same run.
 * The bodies are the synthetic study's `testimony.imported` events (about 3.7 KB of JSON, three
 * incidents each), generated before the clock starts. The full profile adds the measurements the
 * page cipher and page size were chosen by (dialects/sqlite.ts, DEFAULT_SQLITE_TUNING).
 *
 * Run alone: `npx tsx bench/workspace-writes.ts [--full]`; or with the rest: `npm run bench`.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseCodebook, type WorkspaceEventBody } from '@amanat/domain'
import { generateStudy } from '@amanat/synthetic'
import pg from 'pg'
import { DEFAULT_SQLITE_TUNING, type SqliteTuning } from '../packages/database/src/dialects/sqlite.ts'
import { openStoreWith, type WorkspaceStore } from '../packages/database/src/store.ts'
import { POSTGRES_URL, postgresAvailable } from '../tools/test-support/services.ts'
import { median, type BenchRow } from './bench-row.ts'

type Target =
  | { readonly dialect: 'sqlite'; readonly encrypted: boolean; readonly tuning: SqliteTuning }
  | { readonly dialect: 'postgres' }

interface Opened {
  readonly store: WorkspaceStore
  dispose(): Promise<void>
}

async function openTarget(target: Target): Promise<Opened> {
  const subjectKek = randomBytes(32)
  if (target.dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'amanat-bench-writes-'))
    const store = await openStoreWith(
      {
        dialect: 'sqlite',
        file: join(dir, 'workspace.db'),
        storeKey: target.encrypted ? randomBytes(32) : null,
        subjectKek,
        create: true,
      },
      { sqliteTuning: target.tuning },
    )
    return {
      store,
      async dispose() {
        await store.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`
  const store = await openStoreWith(
    { dialect: 'postgres', url: POSTGRES_URL, schema, subjectKek, create: true },
    {},
  )
  return {
    store,
    async dispose() {
      await store.close()
      const client = new pg.Client({ connectionString: POSTGRES_URL })
      await client.connect()
      try {
        await client.query(`drop schema if exists "${schema}" cascade`)
      } finally {
        await client.end()
      }
    },
  }
}

interface Load {
  /** Events per appendBatch call. */
  readonly batch: number
  /** At most this many events per run. */
  readonly events: number
  /** And at most this long (the run stops after the batch that crosses it). */
  readonly capMs: number
}

/** One run on a fresh store: events per second over the appended events. */
async function runOnce(target: Target, load: Load, bodies: readonly WorkspaceEventBody[]): Promise<number> {
  const opened = await openTarget(target)
  try {
    // The first append creates the workspace and warms the statements; it is not timed.
    await opened.store.append('system', { kind: 'workspace.created', name: 'bench' })
    let written = 0
    const start = performance.now()
    while (written < load.events && performance.now() - start < load.capMs) {
      const from = written % bodies.length
      const slice = bodies.slice(from, from + load.batch)
      await opened.store.appendBatch('system', slice)
      written += slice.length
    }
    return written / ((performance.now() - start) / 1000)
  } finally {
    await opened.dispose()
  }
}

async function measure(
  target: Target,
  load: Load,
  runs: number,
  bodies: readonly WorkspaceEventBody[],
): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < runs; i += 1) out.push(await runOnce(target, load, bodies))
  return out
}

function row(
  name: string,
  runs: number[],
  baseline?: { to: string; runs: number[] },
  target?: string,
): BenchRow {
  const value = median(runs)
  return {
    name,
    unit: 'events/s',
    median: value,
    runs,
    ...(baseline === undefined ? {} : { ratio: { to: baseline.to, value: value / median(baseline.runs) } }),
    ...(target === undefined ? {} : { target }),
  }
}

export async function benchWorkspaceWrites(options: { quick: boolean }): Promise<BenchRow[]> {
  const runs = options.quick ? 3 : 5
  const single: Load = options.quick
    ? { batch: 1, events: 300, capMs: 3000 }
    : { batch: 1, events: 2000, capMs: 10_000 }
  const batched: Load = options.quick
    ? { batch: 1000, events: 5000, capMs: 10_000 }
    : { batch: 1000, events: 30_000, capMs: 30_000 }

  const codebookFile = fileURLToPath(new URL('../packages/domain/codebook/default.yaml', import.meta.url))
  const codebook = parseCodebook(readFileSync(codebookFile, 'utf8'), 'default.yaml')
  // Every run writes new respondents (the bulk path); bodies repeat only beyond this many.
  const bodies: WorkspaceEventBody[] = [
    ...generateStudy({ seed: 'bench-writes', respondents: batched.events, codebook }),
  ]

  const plain: Target = { dialect: 'sqlite', encrypted: false, tuning: DEFAULT_SQLITE_TUNING }
  const encrypted: Target = { dialect: 'sqlite', encrypted: true, tuning: DEFAULT_SQLITE_TUNING }
  const page = `${String(DEFAULT_SQLITE_TUNING.pageSize / 1024)} KiB pages`
  const rows: BenchRow[] = []

  for (const load of [single, batched]) {
    const label = `batches of ${load.batch.toLocaleString('en')}`
    const plainRuns = await measure(plain, load, runs, bodies)
    const encryptedRuns = await measure(encrypted, load, runs, bodies)
    const baseline = { to: `plain SQLite, ${label}`, runs: plainRuns }
    rows.push(row(`plain SQLite (no key), ${page}, ${label}`, plainRuns))
    rows.push(
      row(
        `encrypted SQLite (${DEFAULT_SQLITE_TUNING.cipher}), ${page}, ${label}`,
        encryptedRuns,
        baseline,
        load.batch > 1 ? '≥ 0.5× plain' : undefined,
      ),
    )
    if (await postgresAvailable())
      rows.push(
        row(`PostgreSQL, ${label}`, await measure({ dialect: 'postgres' }, load, runs, bodies), baseline),
      )
  }

  if (!options.quick) {
    // What the defaults were chosen by: the authenticated ciphers at several page sizes.
    const variants: [string, SqliteTuning][] = [
      ...[4096, 8192, 16384, 65536].map((pageSize): [string, SqliteTuning] => [
        `chacha20, ${String(pageSize / 1024)} KiB pages`,
        { ...DEFAULT_SQLITE_TUNING, cipher: 'chacha20', pageSize },
      ]),
      [
        'sqlcipher (v4: AES-256-CBC + HMAC-SHA512), 4 KiB pages',
        { ...DEFAULT_SQLITE_TUNING, cipher: 'sqlcipher', pageSize: 4096 },
      ],
    ]
    for (const [name, tuning] of variants) {
      const plainRuns = await measure({ dialect: 'sqlite', encrypted: false, tuning }, batched, runs, bodies)
      const encryptedRuns = await measure(
        { dialect: 'sqlite', encrypted: true, tuning },
        batched,
        runs,
        bodies,
      )
      rows.push(
        row(`tuning: ${name}, batches of 1,000`, encryptedRuns, {
          to: 'plain SQLite, same pages',
          runs: plainRuns,
        }),
      )
    }
  }
  return rows
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const { formatRows } = await import('./bench-row.ts')
  process.stdout.write(
    `${formatRows(await benchWorkspaceWrites({ quick: !process.argv.includes('--full') }))}\n`,
  )
}
