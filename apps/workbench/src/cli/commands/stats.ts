import { stringify } from 'csv-stringify/sync'
import {
  cellValues,
  DEFAULT_DIMENSION,
  isDimension,
  type Dimension,
  type PublishedTable,
} from '@amanat/disclosure'
import { usageError } from '@amanat/domain'
import { currentCodebook } from '../../workspace/current-codebook.ts'
import { countTable, type StatsQuery } from '../../stats/cube.ts'
import { loadCube } from '../../stats/cube-cache.ts'
import { controlQueries, DEFAULT_K, publish } from '../../stats/publish.ts'
import { WORKSPACE_OPTION, workspaceDir, type Command } from '../command.ts'
import { EXIT } from '../exit-codes.ts'
import { unlockWorkspace } from '../unlock.ts'

export const statsCommand: Command = {
  name: 'stats',
  summary: 'count respondents by type, country, year… with disclosure control',
  help: `Usage: amanat stats --workspace <dir> [--by dim[,dim]] [--where dim=value[,…]] [--k 5]
                    [--internal | --release <name>] [--json | --csv]

Counts respondents in a table of one or two dimensions. A multi-valued dimension (incident_type,
channel, perpetrator, year) counts the respondents with at least one matching incident.
Respondents who withdrew consent (or never gave it for aggregate use) are never counted.

Every run applies disclosure control: counts from 1 to k-1 are suppressed, more cells are
suppressed until no suppressed count can be worked out to within k, and a cell that would differ
from an earlier release by 1 to k-1 is suppressed. A plain run records nothing; --release records
the table in the workspace's release ledger.

Dimensions: incident_type (default), channel, perpetrator, year, residence_country, continent,
            ethnicity, status, collection_mode, disclosure

Options:
  --workspace <dir>      the workspace (or AMANAT_WORKSPACE)
  --by <dim[,dim]>       the table's dimensions (default incident_type)
  --where <dim=value,…>  count only respondents matching every condition
  --k <n>                the disclosure threshold (default ${String(DEFAULT_K)})
  --internal             raw counts for your own eyes (never with --release)
  --release <name>       record the table as a release with this name
  --json                 print {dimensions, k, respondents, cells} on stdout
  --csv                  print the cells as CSV on stdout
  -h, --help             this help`,
  options: {
    ...WORKSPACE_OPTION,
    by: { type: 'string' },
    where: { type: 'string' },
    k: { type: 'string' },
    internal: { type: 'boolean' },
    release: { type: 'string' },
    json: { type: 'boolean' },
    csv: { type: 'boolean' },
  },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const { values, terminal } = context
    const query = parseQuery(values.by, values.where)
    const k = parseK(values.k)
    const release = typeof values.release === 'string' ? values.release : undefined
    if (values.internal === true && release !== undefined) {
      throw usageError(
        'stats.internal_release',
        '--internal shows raw counts and can never be released; drop one of them.',
      )
    }
    if (values.json === true && values.csv === true)
      throw usageError('stats.bad_format', 'Choose one of --json and --csv.')
    const workspace = await unlockWorkspace(workspaceDir(context), terminal)
    try {
      const store = workspace.store
      const codebook = await currentCodebook(workspace.store)
      let table: PublishedTable
      if (values.internal === true) {
        terminal.warn('internal counts: not disclosure-controlled, not for publication.')
        table = rawTable(countTable((await loadCube(store, codebook)).cube, query), k)
      } else if (release !== undefined) {
        const published = await publish(store, codebook, {
          name: release,
          kind: 'stats',
          k,
          author: workspace.analyst.id,
          queries: [query],
        })
        table = published.tables[0] as PublishedTable
        terminal.info(
          published.recorded
            ? `recorded release ${release}`
            : `release ${release} is already in the ledger with this content`,
        )
      } else {
        table = (await controlQueries(store, codebook, [query], k)).tables[0] as PublishedTable
      }
      if (values.json === true) terminal.out(JSON.stringify(table))
      else if (values.csv === true) terminal.out(csvOf(table).trimEnd())
      else terminal.out(textOf(table))
      return EXIT.ok
    } finally {
      await workspace.close()
    }
  },
}

/** Parses `--by` and `--where` into a query. */
export function parseQuery(by: unknown, where: unknown): StatsQuery {
  const dimensions = typeof by === 'string' ? by.split(',').map((d) => d.trim()) : [DEFAULT_DIMENSION]
  const conditions = typeof where === 'string' && where !== '' ? where.split(',') : []
  return {
    by: dimensions.map(dimension),
    where: conditions.map((text) => {
      const cut = text.indexOf('=')
      if (cut <= 0 || cut === text.length - 1) {
        throw usageError('stats.bad_where', `Expected --where dim=value[,dim=value…], got "${text}".`)
      }
      return { dimension: dimension(text.slice(0, cut).trim()), value: text.slice(cut + 1).trim() }
    }),
  }
}

function dimension(name: string): Dimension {
  if (!isDimension(name))
    throw usageError('stats.bad_dimension', `There is no dimension "${name}". See: amanat stats --help`)
  return name
}

function parseK(text: unknown): number {
  if (text === undefined) return DEFAULT_K
  const k = typeof text === 'string' && /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN
  if (!(k >= 2)) throw usageError('stats.bad_k', '--k must be a whole number of at least 2.')
  return k
}

function rawTable(counted: ReturnType<typeof countTable>, k: number): PublishedTable {
  return {
    dimensions: counted.dimensions,
    k,
    respondents: counted.respondents,
    cells: cellValues(counted).map((tuple, i) => ({
      ...Object.fromEntries(tuple.map((v, d) => [counted.dimensions[d] as string, v])),
      count: counted.counts[i] ?? 0,
      suppressed: false,
    })),
  }
}

function rows(table: PublishedTable): (string | number)[][] {
  return table.cells.map((cell) => [
    ...table.dimensions.map((d) => cell[d] ?? ''),
    cell.count ?? '',
    String(cell.suppressed),
  ])
}

function csvOf(table: PublishedTable): string {
  return stringify([[...table.dimensions, 'count', 'suppressed'], ...rows(table)])
}

function textOf(table: PublishedTable): string {
  const header = [...table.dimensions, 'respondents']
  const body = table.cells.map((cell) => [
    ...table.dimensions.map((d) => cell[d] ?? ''),
    cell.suppressed ? 'suppressed' : String(cell.count),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)))
  const line = (r: readonly string[]) =>
    r.map((v, i) => (i === r.length - 1 ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join('  ')
  const total = table.respondents === null ? 'suppressed' : String(table.respondents)
  return [
    line(header),
    ...body.map(line),
    '',
    `respondents in scope: ${total} (k = ${String(table.k)})`,
  ].join('\n')
}
