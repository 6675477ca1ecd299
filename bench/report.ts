/**
 * The full report build (issue #5: under 60 s at 1,000,000 respondents): stories checked, the
 * report's seven tables counted on the statistics cube and put through disclosure control as one
 * release, four charts rendered to SVG and PNG, CSV, XLSX, JSON and HTML written. Measured on a
 * private copy of the bench study workspace (the build writes the ledger and the stats cache):
 * the first build (cube built from the projections, release recorded), then rebuilds of the
 * unchanged workspace (cube from the cache, nothing recorded), against the baseline of counting
 * and controlling the same tables alone, in the same run.
 *
 * `AMANAT_BENCH_RESPONDENTS` sets the study size (default: 20,000 quick, 1,000,000 with --full).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { controlRelease } from '@amanat/disclosure'
import { buildReport } from '../apps/workbench/src/report/build-report.ts'
import { REPORT_TABLES } from '../apps/workbench/src/report/report-release.ts'
import { currentCodebook } from '../apps/workbench/src/workspace/current-codebook.ts'
import { loadCube } from '../apps/workbench/src/stats/cube-cache.ts'
import { countTable } from '../apps/workbench/src/stats/cube.ts'
import { median, type BenchRow } from './bench-row.ts'
import { studyWorkspace } from './fixtures/study-workspace.ts'

const REBUILDS = 3

export async function benchReport(options: { quick: boolean }): Promise<BenchRow[]> {
  const fromEnv = Number(process.env.AMANAT_BENCH_RESPONDENTS)
  const respondents = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : options.quick ? 20_000 : 1_000_000
  const study = await studyWorkspace({ respondents, copy: true })
  const out = mkdtempSync(join(tmpdir(), 'amanat-bench-report-'))
  try {
    const store = study.store
    const codebook = await currentCodebook(store)
    const sources = {
      store,
      codebook,
      vault: null,
      author: study.workspace.analyst.id,
    }
    const build = async () => {
      const t = performance.now()
      await buildReport(sources, { outDir: join(out, 'report') })
      return performance.now() - t
    }
    const first = await build()
    const rebuilds: number[] = []
    for (let i = 0; i < REBUILDS; i++) rebuilds.push(await build())
    const baseline: number[] = []
    for (let i = 0; i < REBUILDS; i++) {
      const t = performance.now()
      const { cube } = await loadCube(store, codebook)
      controlRelease(
        REPORT_TABLES.map((q) => countTable(cube, { by: q.by, where: [] })),
        { k: 5 },
      )
      baseline.push(performance.now() - t)
    }
    const count = median(baseline)
    const size = respondents.toLocaleString('en')
    return [
      {
        name: `tables only: count + control the report's 7 tables (${size} respondents)`,
        unit: 'ms',
        median: count,
        runs: baseline,
      },
      {
        name: `report first build (cube built, release recorded)`,
        unit: 'ms',
        median: first,
        runs: [first],
        ratio: { to: 'tables only', value: first / count },
        target: '< 60 s',
      },
      {
        name: `report rebuild, unchanged workspace (byte-identical, nothing recorded)`,
        unit: 'ms',
        median: median(rebuilds),
        runs: rebuilds,
        ratio: { to: 'tables only', value: median(rebuilds) / count },
        target: '< 60 s',
      },
    ]
  } finally {
    rmSync(out, { recursive: true, force: true })
    await study.close()
  }
}
