/**
 * `amanat import` throughput: a seeded CSV of coded rows (from the synthetic study, about three
 * incidents per respondent) imported into a fresh encrypted SQLite workspace, all three passes
 * (stream and validate, compare with the workspace, append in batches of a thousand events).
 * Then the same file again, which must compare equal and write nothing: the cost of a no-op
 * re-import. Rows: AMANAT_BENCH_IMPORT_ROWS (default 20,000 quick, 1,000,000 full). One run per
 * figure: at a million a run takes minutes. Target (issue #4): 1M rows in under 5 minutes.
 * The process's CPU time is reported beside the wall time: on a shared machine it is the figure
 * that compares between runs.
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateStudy } from '@amanat/synthetic'
import { stringify } from 'csv-stringify/sync'
import { EXPORT_COLUMNS, type CodedCells } from '../apps/workbench/src/transfer/coded-columns.ts'
import { cellsOfRespondent } from '../apps/workbench/src/transfer/coded-row.ts'
import { importCodedData } from '../apps/workbench/src/transfer/import-coded-data.ts'
import { readCodebook } from '../apps/workbench/src/workspace/codebook-file.ts'
import { createWorkspace } from '../apps/workbench/src/workspace/workspace.ts'
import type { BenchRow } from './bench-row.ts'

export async function benchImport(options: { quick: boolean }): Promise<BenchRow[]> {
  const rows = Number(process.env.AMANAT_BENCH_IMPORT_ROWS ?? (options.quick ? 20_000 : 1_000_000))
  const dir = mkdtempSync(join(tmpdir(), 'amanat-bench-import-'))
  try {
    const codebook = readCodebook()
    const file = join(dir, 'coded.csv')
    const written = writeStudyCsv(file, rows, codebook)
    const workspace = await createWorkspace({
      dir: join(dir, 'ws'),
      name: 'bench import',
      passphrase: 'bench passphrase one',
      backupPassphrase: 'bench passphrase two',
      analystLabel: 'bench',
      codebook,
      testOnly: true,
    })
    try {
      const first = await timed(() => importCodedData(workspace, { path: file, format: 'csv' }))
      const again = await timed(() => importCodedData(workspace, { path: file, format: 'csv' }))
      if (!first.result.ok || first.result.written !== written.respondents)
        throw new Error('the import did not write every respondent')
      if (!again.result.ok || again.result.written !== 0) throw new Error('the re-import wrote something')
      const label = `${written.rows.toLocaleString('en')} rows (${written.respondents.toLocaleString('en')} respondents, ${(statSync(file).size / 1e6).toFixed(0)} MB CSV)`
      const rate = written.rows / first.seconds
      return [
        once(`import CSV into a fresh encrypted workspace, ${label}`, 's', first.seconds, {
          target: '1M rows < 300 s',
        }),
        once('the same, CPU time of the process (all threads)', 's', first.cpuSeconds, {
          ratio: { to: 'wall time', value: first.cpuSeconds / first.seconds },
        }),
        once('the same, rows per second (one run)', 'rows/s', rate, { target: '≥ 3,334 rows/s' }),
        once('the same file again (compares equal, writes nothing)', 's', again.seconds, {
          ratio: { to: 'first import', value: again.seconds / first.seconds },
        }),
        once('the same file again, CPU time of the process', 's', again.cpuSeconds, {
          ratio: { to: 'first import', value: again.cpuSeconds / first.cpuSeconds },
        }),
      ]
    } finally {
      await workspace.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Writes the first respondents of a seeded study until `rows` rows; the file ends on a whole respondent. */
function writeStudyCsv(
  file: string,
  rows: number,
  codebook: ReturnType<typeof readCodebook>,
): { rows: number; respondents: number } {
  const fd = openSync(file, 'w')
  let count = 0
  let respondents = 0
  let pending: CodedCells[] = []
  const flush = () => {
    writeSync(
      fd,
      stringify(
        pending.map((row) => EXPORT_COLUMNS.map((column) => row[column])),
        { record_delimiter: 'windows' },
      ),
    )
    pending = []
  }
  try {
    writeSync(fd, stringify([EXPORT_COLUMNS], { record_delimiter: 'windows' }))
    for (const body of generateStudy({ seed: 'bench-import', respondents: rows, codebook })) {
      if (count >= rows) break
      const cells = cellsOfRespondent(body.respondent, body.incidents)
      pending.push(...cells)
      count += cells.length
      respondents++
      if (pending.length >= 10_000) flush()
    }
    flush()
  } finally {
    closeSync(fd)
  }
  return { rows: count, respondents }
}

/** A figure measured once: at a million rows one run takes minutes. */
function once(
  name: string,
  unit: string,
  value: number,
  extra: Pick<BenchRow, 'ratio' | 'target'>,
): BenchRow {
  return { name, unit, median: value, runs: [value], ...extra }
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; cpuSeconds: number }> {
  const started = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  const result = await work()
  const used = process.cpuUsage(cpu)
  return {
    result,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    cpuSeconds: (used.user + used.system) / 1e6,
  }
}
