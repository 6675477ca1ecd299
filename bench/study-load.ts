/**
 * Loading a whole study through the event log and the projections: the synthetic study (about three
 * incidents per respondent) appended in batches to an encrypted SQLite workspace. Only the time
 * inside the write path counts: generating the bodies is measured apart and left out, and there is
 * no full-text indexing yet. Target (issue #2): 1,000,000 respondents in under 2 minutes.
 *
 * The load runs as the store's bulk load (docs/decisions/0021): the secondary indexes are built
 * once at the end, and that build is part of the time.
 *
 * Besides wall time, the process's CPU time while appending (the writer, the checkpointer's
 * thread and any other worker), which a shared machine disturbs far less than wall time.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deriveWorkspaceKeys, newKdfParams, openStore, type WorkspaceStore } from '@amanat/database'
import { parseCodebook } from '@amanat/domain'
import type { BenchRow } from './bench-row.ts'
import { loadStudy, loadStudyInParallel, type LoadedStudy } from './fixtures/load-study.ts'

/** Loads the study into a new encrypted SQLite store with `load`, checks the count, and removes the store. */
async function intoFreshStore<T extends LoadedStudy>(
  respondents: number,
  load: (store: WorkspaceStore) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'amanat-bench-load-'))
  const keys = await deriveWorkspaceKeys('bench passphrase', newKdfParams({ testOnly: true }))
  const store = await openStore({
    dialect: 'sqlite',
    file: join(dir, 'workspace.db'),
    storeKey: keys.storeKey,
    subjectKek: keys.subjectKek,
    create: true,
  })
  try {
    const loaded = await load(store)
    const counts = await store.counts()
    if (counts.respondents !== respondents)
      throw new Error(`loaded ${String(counts.respondents)} respondents, expected ${String(respondents)}`)
    return loaded
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function benchStudyLoad(options: { quick: boolean }): Promise<BenchRow[]> {
  const respondents = options.quick ? 50_000 : 1_000_000
  const codebookFile = fileURLToPath(new URL('../packages/domain/codebook/default.yaml', import.meta.url))
  const codebook = parseCodebook(readFileSync(codebookFile, 'utf8'), 'default.yaml')
  const study = { seed: 'bench-load', respondents, codebook }
  const loaded = await intoFreshStore(respondents, (store) => loadStudy(store, study))
  // The same study with parsing and sealing on a worker thread (docs/decisions/0019). Generation
  // runs on that thread too and overlaps the writes, so it cannot be left out of this wall time.
  const parallel = await intoFreshStore(respondents, (store) => loadStudyInParallel(store, study, 1))
  const cpuPerRespondent = (loaded.appendCpuSeconds * 1e6) / respondents
  const seconds = loaded.appendSeconds
  const label = `${respondents.toLocaleString('en')} respondents (${loaded.incidents.toLocaleString('en')} incidents)`
  return [
    {
      name: `study load through log + projections, encrypted SQLite, ${label}`,
      unit: 's',
      median: seconds,
      runs: [seconds],
      target: options.quick ? '1M < 120 s' : '< 120 s',
    },
    {
      name: 'the same, of which building the indexes set aside (docs/decisions/0021)',
      unit: 's',
      median: loaded.indexSeconds,
      runs: [loaded.indexSeconds],
    },
    {
      name: 'the same, respondents per second',
      unit: 'resp/s',
      median: respondents / seconds,
      runs: [respondents / seconds],
    },
    {
      name: 'the same, CPU per respondent (every thread, while appending)',
      unit: 'µs',
      median: cpuPerRespondent,
      runs: [cpuPerRespondent],
    },
    {
      name: 'the same with events prepared on a worker thread, generation included (wall time)',
      unit: 's',
      median: parallel.pipelineSeconds,
      runs: [parallel.pipelineSeconds],
      ratio: { to: 'the load above plus its generation', value: parallel.pipelineSeconds / (seconds + loaded.generateSeconds) },
    },
    {
      name: 'synthetic generation (excluded from the load time)',
      unit: 's',
      median: loaded.generateSeconds,
      runs: [loaded.generateSeconds],
    },
  ]
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const { formatRows } = await import('./bench-row.ts')
  process.stdout.write(`${formatRows(await benchStudyLoad({ quick: !process.argv.includes('--full') }))}\n`)
}
