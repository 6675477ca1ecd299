/**
 * Loading a whole study through the event log and the projections: the synthetic study (about three
 * incidents per respondent) appended in batches to an encrypted SQLite workspace. Only the time
 * inside the write path counts: generating the bodies is measured apart and left out, and there is
 * no full-text indexing yet. Target (issue #2): 1,000,000 respondents in under 2 minutes.
 *
 * Besides wall time, the process's CPU time while appending (the writer, the checkpointer's
 * thread and any other worker), which a shared machine disturbs far less than wall time.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deriveWorkspaceKeys, newKdfParams, openStore } from '@amanat/database'
import { parseCodebook } from '@amanat/domain'
import type { BenchRow } from './bench-row.ts'
import { loadStudy } from './fixtures/load-study.ts'

export async function benchStudyLoad(options: { quick: boolean }): Promise<BenchRow[]> {
  const respondents = options.quick ? 50_000 : 1_000_000
  const codebookFile = fileURLToPath(new URL('../packages/domain/codebook/default.yaml', import.meta.url))
  const codebook = parseCodebook(readFileSync(codebookFile, 'utf8'), 'default.yaml')
  const dir = mkdtempSync(join(tmpdir(), 'amanat-bench-load-'))
  const keys = await deriveWorkspaceKeys('bench passphrase', newKdfParams({ testOnly: true }))
  const store = await openStore({
    dialect: 'sqlite',
    file: join(dir, 'workspace.db'),
    storeKey: keys.storeKey,
    subjectKek: keys.subjectKek,
    create: true,
  })
  let loaded
  try {
    loaded = await loadStudy(store, { seed: 'bench-load', respondents, codebook })
    const counts = await store.counts()
    if (counts.respondents !== respondents)
      throw new Error(`loaded ${String(counts.respondents)} respondents, expected ${String(respondents)}`)
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
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
