/**
 * Loading a whole study through the event log and the projections: the synthetic study (about three
 * incidents per respondent) appended in batches to an encrypted SQLite workspace. Only the time
 * inside `appendBatch` counts: generating the bodies is measured apart and left out, and there is
 * no full-text indexing yet. Target (issue #2): 1,000,000 respondents in under 2 minutes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deriveWorkspaceKeys, newKdfParams, openStore } from '@amanat/database'
import { parseCodebook, type WorkspaceEventBody } from '@amanat/domain'
import { generateStudy } from '@amanat/synthetic'
import type { BenchRow } from './bench-row.ts'

const BATCH = 5_000

export async function benchStudyLoad(options: { quick: boolean }): Promise<BenchRow[]> {
  const respondents = options.quick ? 50_000 : 1_000_000
  const codebookFile = fileURLToPath(new URL('../packages/domain/codebook/default.yaml', import.meta.url))
  const codebook = parseCodebook(readFileSync(codebookFile, 'utf8'), 'default.yaml')
  const dir = mkdtempSync(join(tmpdir(), 'amanat-bench-load-'))
  const keys = await deriveWorkspaceKeys('bench passphrase', newKdfParams({ testOnly: true }))
  const store = await openStore({ dialect: 'sqlite', file: join(dir, 'workspace.db'), storeKey: keys.storeKey, subjectKek: keys.subjectKek, create: true })
  let appendMs = 0
  let generateMs = 0
  let incidents = 0
  try {
    const stream = generateStudy({ seed: 'bench-load', respondents, codebook })[Symbol.iterator]()
    for (;;) {
      const t0 = performance.now()
      const batch: WorkspaceEventBody[] = []
      for (let i = 0; i < BATCH; i++) {
        const next = stream.next()
        if (next.done === true) break
        incidents += next.value.incidents.length
        batch.push(next.value)
      }
      const t1 = performance.now()
      generateMs += t1 - t0
      if (batch.length === 0) break
      await store.appendBatch('system', batch)
      appendMs += performance.now() - t1
    }
    const counts = await store.counts()
    if (counts.respondents !== respondents) throw new Error(`loaded ${String(counts.respondents)} respondents, expected ${String(respondents)}`)
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
  const seconds = appendMs / 1000
  const label = `${respondents.toLocaleString('en')} respondents (${incidents.toLocaleString('en')} incidents)`
  return [
    { name: `study load through log + projections, encrypted SQLite, ${label}`, unit: 's', median: seconds, runs: [seconds], target: options.quick ? '1M < 120 s' : '< 120 s' },
    { name: 'the same, respondents per second', unit: 'resp/s', median: respondents / seconds, runs: [respondents / seconds] },
    { name: 'synthetic generation (excluded from the load time)', unit: 's', median: generateMs / 1000, runs: [generateMs / 1000] },
  ]
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const { formatRows } = await import('./bench-row.ts')
  process.stdout.write(`${formatRows(await benchStudyLoad({ quick: !process.argv.includes('--full') }))}\n`)
}
