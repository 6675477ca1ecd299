/**
 * The columns of a coded-data file (`amanat import`, `amanat export`; docs/import-format.md): one
 * row per incident, the respondent's columns repeated on each of their rows. The first fifteen are
 * the required set, in its order; the rest are optional on import and always exported
 * (except `incident_key`, which only names rows of the organisation's own file).
 */
export const REQUIRED_COLUMNS = [
  'respondent_key',
  'collection_mode',
  'residence_country',
  'ethnicity',
  'disclosure',
  'status',
  'occupation',
  'incident_type',
  'channel',
  'perpetrator',
  'target',
  'year',
  'received_country',
  'origin_place',
  'note',
] as const

export const OPTIONAL_COLUMNS = [
  'gender',
  'age_band',
  'impacts',
  'consent',
  'date',
  'confidence',
  'received_locality',
  'incident_key',
] as const

export type CodedColumn = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number]

/** What `amanat export` writes, in this order. */
export const EXPORT_COLUMNS: readonly CodedColumn[] = [
  ...REQUIRED_COLUMNS,
  ...OPTIONAL_COLUMNS.filter((column) => column !== 'incident_key'),
]

/** The columns that describe the respondent; they must agree on every row of one respondent. */
export const RESPONDENT_COLUMNS = [
  'respondent_key',
  'collection_mode',
  'residence_country',
  'ethnicity',
  'disclosure',
  'status',
  'occupation',
  'gender',
  'age_band',
  'impacts',
  'consent',
] as const satisfies readonly CodedColumn[]

/** One row as text: every column, '' for an empty cell. */
export type CodedCells = Readonly<Record<CodedColumn, string>>

const KNOWN: ReadonlySet<string> = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS])

/** Why a header cannot be read: required columns it lacks, columns nobody knows, columns named twice. */
export function headerProblems(header: readonly string[]): string[] {
  const problems: string[] = []
  const missing = REQUIRED_COLUMNS.filter((column) => !header.includes(column))
  if (missing.length > 0) problems.push(`the header lacks the column(s) ${missing.join(', ')}`)
  const unknown = header.filter((name) => !KNOWN.has(name))
  if (unknown.length > 0) {
    // Echo only names shaped like column names: a shifted header row can hold data.
    const shown = unknown.map((name) =>
      /^[A-Za-z_][A-Za-z0-9_ ]{0,40}$/.test(name) ? `"${name}"` : '(a cell that is not a column name)',
    )
    problems.push(
      `the header has column(s) this format does not know: ${shown.join(', ')} (see docs/import-format.md)`,
    )
  }
  const twice = header.filter((name, i) => header.indexOf(name) !== i)
  if (twice.length > 0) problems.push(`the header names ${[...new Set(twice)].join(', ')} more than once`)
  return problems
}

const ALL_COLUMNS: readonly CodedColumn[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]

/** Every column of a row from the cells a file gave: trimmed, '' for a column the file does not have. */
export function cellsOf(given: Readonly<Record<string, string>>): CodedCells {
  const cells: Partial<Record<CodedColumn, string>> = {}
  for (const column of ALL_COLUMNS) cells[column] = (given[column] ?? '').trim()
  return cells as CodedCells
}

/**
 * The same for a file whose rows are lists of cells under a header (CSV, XLSX): where each column
 * sits is worked out once per file, so a million rows build one object each and no more.
 * `clean` is applied to each cell before trimming.
 */
export function cellsByPosition(
  header: readonly string[],
  clean: (cell: string) => string = (cell) => cell,
): (values: readonly string[]) => CodedCells {
  const positions = ALL_COLUMNS.map((column) => ({ column, at: header.indexOf(column) }))
  return (values) => {
    const cells: Partial<Record<CodedColumn, string>> = {}
    for (const { column, at } of positions) cells[column] = at === -1 ? '' : clean(values[at] ?? '').trim()
    return cells as CodedCells
  }
}
