/**
 * `npm run bench`: every benchmark, each reporting medians of bounded runs and ratios to a baseline
 * measured in the same run (never absolute targets asserted in tests). `-- --full` runs the
 * 1,000,000-respondent figures; the default is a quick profile. `-- --only <name>` runs one group.
 * Results are printed and written to bench/results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatRows, type BenchRow } from './bench-row.ts'
import { cpuModel } from './machine.ts'

const args = process.argv.slice(2)
const quick = !args.includes('--full')
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined

interface Group {
  readonly name: string
  run(options: { quick: boolean }): Promise<BenchRow[]>
}

const groups: Group[] = [
  // First, so every report says how fast the machine was (bench/machine.ts).
  { name: 'machine', run: async () => (await import('./machine.ts')).benchMachine() },
  { name: 'workspace-writes', run: async (o) => (await import('./workspace-writes.ts')).benchWorkspaceWrites(o) },
  { name: 'study-load', run: async (o) => (await import('./study-load.ts')).benchStudyLoad(o) },
  { name: 'intake', run: async (o) => (await import('./intake.ts')).benchIntake(o) },
  { name: 'page', run: async (o) => (await import('./page.ts')).benchPage(o) },
  { name: 'pull', run: async (o) => (await import('./pull.ts')).benchPull(o) },
  { name: 'import', run: async (o) => (await import('./import.ts')).benchImport(o) },
  { name: 'search', run: async (o) => (await import('./search.ts')).benchSearch(o) },
  { name: 'workbench', run: async (o) => (await import('./workbench.ts')).benchWorkbench(o) },
  { name: 'stats', run: async (o) => (await import('./stats.ts')).benchStats(o) },
  { name: 'report', run: async (o) => (await import('./report.ts')).benchReport(o) },
]

const all: { group: string; rows: BenchRow[] }[] = []
for (const group of groups) {
  if (only !== undefined && group.name !== only) continue
  process.stdout.write(`\n## ${group.name} (${quick ? 'quick' : 'full'})\n`)
  const rows = await group.run({ quick })
  process.stdout.write(`${formatRows(rows)}\n`)
  all.push({ group: group.name, rows })
}
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true })
writeFileSync(
  join(import.meta.dirname, 'results', 'latest.json'),
  `${JSON.stringify({ node: process.version, cpu: cpuModel(), quick, groups: all }, null, 2)}\n`,
)
