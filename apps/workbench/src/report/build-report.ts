import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { basename, dirname, join, resolve } from 'node:path'
import {
  channelPerpetratorChart,
  countriesMap,
  dimensionLabel,
  harassmentTypesChart,
  renderPng,
  renderSvg,
  yearsChart,
  type ChartContext,
  type ChartSpec,
  type PublishedTable,
} from '@amanat/charts'
import type { WorkspaceStore } from '@amanat/database'
import { codebookRef, continentOf, inputError, type Codebook, type CoreLanguage } from '@amanat/domain'
import { releasableStories, type VaultTerms, type WithheldStory } from '../stories/stories.ts'
import {
  DisclosureLog,
  ReportCell,
  ReportData,
  reportDataJsonSchema,
  type Methodology,
  type ReportTable,
} from './report-data.ts'
import { reportHtml, type ReportChart } from './report-html.ts'
import { REPORT_MESSAGES, VOCABULARY_LABELS } from './report-messages.ts'
import { DEFAULT_K, publish, type PublishedRelease } from '../stats/publish.ts'
import { REPORT_TABLES } from './report-release.ts'
import { tableCsv, tablesXlsx } from './report-tables-files.ts'

/**
 * `buildReport`: the whole publication as a folder of static files (issue #5, part 5). One path:
 * stories are checked first (a blocked story stops the build before anything is released), then
 * the tables go through disclosure control as one release recorded in the ledger, then every file
 * is rendered from what came out. Nothing reads a clock or a random source except the temporary
 * folder's name, so an unchanged workspace gives a byte-identical report — and, the release being
 * identical, no new ledger entry.
 *
 * The folder is written beside `outDir` and renamed into place, so a crash leaves the previous
 * report whole. An existing `outDir` is replaced only when it holds a report (`data.json`).
 */

export interface ReportOptions {
  readonly outDir: string
  readonly k?: number
  readonly language?: CoreLanguage
}

/** What a build did, for the CLI and the UI. Withheld stories are for the analyst's eyes only. */
export interface ReportResult {
  readonly outDir: string
  readonly files: readonly string[]
  readonly recorded: boolean
  readonly suppressed: number
  readonly stories: number
  readonly withheldStories: readonly WithheldStory[]
}

/** What the build needs: the store, the codebook, the vault (null without one) and who builds it. */
export interface ReportSources {
  readonly store: WorkspaceStore
  readonly codebook: Codebook
  readonly vault: VaultTerms | null
  readonly author: string
}

export { DEFAULT_K }
const RELEASE_NAME = 'report'
const RULES = [
  'primary: a non-zero count below k is suppressed',
  'complementary: more counts are suppressed until every suppressed count can only be bounded to a range at least k wide from the published ones',
  'differencing: a count that would differ from the same count in an earlier release by 1 to k-1 is suppressed',
  'respondents who withdrew or did not consent to aggregate use are not counted',
  "stories are published only with the respondent's consent, under a pseudonym, with no identifier, locality or exact date in the text",
]

export async function buildReport(sources: ReportSources, options: ReportOptions): Promise<ReportResult> {
  const k = options.k ?? DEFAULT_K
  const language = options.language ?? 'en'
  const outDir = resolve(options.outDir)
  checkOutDir(outDir)
  const { stories, withheld } = await releasableStories(sources.store, sources.vault)
  const release = await publish(sources.store, sources.codebook, {
    name: RELEASE_NAME,
    kind: 'report',
    k,
    author: sources.author,
    queries: REPORT_TABLES.map((query) => ({ by: query.by, where: [] })),
  })
  const context: ChartContext = { codebook: sources.codebook, language }
  const tables = REPORT_TABLES.map((query, i) => reportTable(query.name, release.tables[i], context))
  const data = ReportData.parse({
    format: 'amanat-report/1',
    language,
    k,
    codebook: codebookRef(sources.codebook),
    methodology: methodologyOf(tables),
    tables,
    stories: stories.map((story) => ({
      ...storyPlace(story.residenceCountry, tables),
      pseudonym: story.pseudonym,
      language: story.language,
      title: story.title,
      text: story.text,
    })),
  })
  const log = disclosureLog(release, tables, k)
  const files = await renderFiles(data, log, release, context)
  writeFolder(outDir, files)
  return {
    outDir,
    files: [...files.keys()].sort(),
    recorded: release.recorded,
    suppressed: log.suppressed.length,
    stories: data.stories.length,
    withheldStories: withheld,
  }
}

function reportTable(name: string, table: PublishedTable | undefined, context: ChartContext): ReportTable {
  if (table === undefined) throw new Error(`the release lacks the report table ${name}`)
  const vocabulary = VOCABULARY_LABELS[context.language]
  const labels: Record<string, Record<string, string>> = {}
  for (const dimension of table.dimensions) {
    const values = new Set(table.cells.map((cell) => cell[dimension] ?? ''))
    labels[dimension] = Object.fromEntries(
      [...values].map((v) => [v, vocabulary[v] ?? dimensionLabel(dimension, v, context)]),
    )
  }
  return {
    name,
    title: REPORT_MESSAGES[context.language].tableTitles[name] ?? name,
    dimensions: [...table.dimensions],
    respondents: table.respondents,
    labels,
    cells: table.cells.map((cell) => ReportCell.parse({ ...cell })),
  }
}

/**
 * Where a story says its teller lives: the country when the report publishes that country's
 * count, else the continent (a suppressed country has fewer than k respondents, or its count
 * protects one that has: naming it beside a story would single the teller out), else nothing.
 */
function storyPlace(
  country: string | null,
  tables: readonly ReportTable[],
): { residenceCountry: string | null; residenceContinent: string | null } {
  const published = (table: string, dimension: string, value: string) =>
    tables.find((t) => t.name === table)?.cells.some((c) => c[dimension] === value && c.count !== null) ===
    true
  if (country === null) return { residenceCountry: null, residenceContinent: null }
  if (published('residence_countries', 'residence_country', country))
    return { residenceCountry: country, residenceContinent: null }
  const continent = continentOf(country)
  return {
    residenceCountry: null,
    residenceContinent:
      continent !== null && published('continents', 'continent', continent) ? continent : null,
  }
}

/** The methodology's numbers, all read from published tables (so all through disclosure control). */
function methodologyOf(tables: readonly ReportTable[]): Methodology {
  const byName = (name: string) => tables.find((t) => t.name === name)
  const present = (name: string) => (byName(name)?.cells ?? []).filter((c) => c.count !== 0)
  const modes = byName('collection_modes')
  const anonymous = byName('disclosure_wishes')?.cells.find((c) => c.disclosure === 'anonymous')
  const respondents = modes?.respondents ?? null
  const anonymousCount = anonymous === undefined ? 0 : anonymous.count
  const years = present('incident_years').map((c) => Number(c.year))
  return {
    respondents,
    countries: present('residence_countries').length,
    continents: present('continents').length,
    collectionModes: (modes?.cells ?? []).map((c) => ({ mode: c.collection_mode ?? '', count: c.count })),
    anonymityPercent:
      respondents === null || respondents === 0 || anonymousCount === null
        ? null
        : Math.round((100 * anonymousCount) / respondents),
    firstYear: years.length === 0 ? null : Math.min(...years),
    lastYear: years.length === 0 ? null : Math.max(...years),
  }
}

function disclosureLog(release: PublishedRelease, tables: readonly ReportTable[], k: number): DisclosureLog {
  return DisclosureLog.parse({
    k,
    rules: RULES,
    suppressed: release.suppressed.map((entry) => ({
      table: tables[entry.table]?.name ?? String(entry.table),
      cell: entry.cell === null ? null : { ...entry.cell },
      reason: entry.reason,
    })),
  })
}

const CHARTS: readonly {
  readonly file: string
  readonly table: string
  readonly spec: (t: PublishedTable, c: ChartContext) => ChartSpec
}[] = [
  { file: 'harassment-types', table: 'harassment_types', spec: harassmentTypesChart },
  { file: 'residence-countries', table: 'residence_countries', spec: countriesMap },
  { file: 'incident-years', table: 'incident_years', spec: yearsChart },
  { file: 'channel-perpetrator', table: 'channel_perpetrator', spec: channelPerpetratorChart },
]

async function renderFiles(
  data: ReportData,
  log: DisclosureLog,
  release: PublishedRelease,
  context: ChartContext,
): Promise<Map<string, Uint8Array | string>> {
  const words = REPORT_MESSAGES[data.language]
  const files = new Map<string, Uint8Array | string>()
  const charts: ReportChart[] = []
  for (const chart of CHARTS) {
    const index = REPORT_TABLES.findIndex((q) => q.name === chart.table)
    const table = release.tables[index]
    if (table === undefined) continue
    const svg = await renderSvg(chart.spec(table, context))
    files.set(`charts/${chart.file}.svg`, svg)
    files.set(`charts/${chart.file}.png`, await renderPng(svg))
    charts.push({ file: chart.file, title: data.tables[index]?.title ?? chart.file })
  }
  for (const table of data.tables)
    files.set(`tables/${table.name}.csv`, tableCsv(table, words.count, words.suppressed))
  files.set('tables.xlsx', await tablesXlsx(data.tables, words.count, words.suppressed))
  files.set('data.json', `${JSON.stringify(data, null, 2)}\n`)
  files.set('data.schema.json', `${JSON.stringify(reportDataJsonSchema(), null, 2)}\n`)
  files.set('disclosure-log.json', `${JSON.stringify(log, null, 2)}\n`)
  files.set('report.css', readFileSync(new URL('./report.css', import.meta.url), 'utf8'))
  files.set('index.html', reportHtml(data, charts, log))
  return files
}

function checkOutDir(outDir: string): void {
  if (!existsSync(outDir)) return
  const entries = readdirSync(outDir)
  if (entries.length > 0 && !entries.includes('data.json')) {
    throw inputError(
      'report.out_not_empty',
      `${outDir} exists and does not hold a report; give an empty or new folder.`,
    )
  }
}

function writeFolder(outDir: string, files: ReadonlyMap<string, Uint8Array | string>): void {
  const parent = dirname(outDir)
  mkdirSync(parent, { recursive: true })
  const staging = join(parent, `.${basename(outDir)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    for (const [name, content] of files) {
      mkdirSync(dirname(join(staging, name)), { recursive: true })
      writeFileSync(join(staging, name), content)
    }
    const old = existsSync(outDir) ? `${staging}.old` : null
    if (old !== null) renameSync(outDir, old)
    renameSync(staging, outDir)
    if (old !== null) rmSync(old, { recursive: true, force: true })
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
}
