import { extname } from 'node:path'
import { inputError } from '@amanat/domain'
import { CsvError } from 'csv-parse'
import { parse as parseCsv } from 'csv-parse/sync'
import { MiB, readFileWithin } from '../files/read-within.ts'
import { xlsxFirstSheetRows } from '../files/xlsx-read.ts'
import { badEncoding, cellText, invalidLine } from '../transfer/row-sources.ts'
import type { CONTACT_KINDS, DOCUMENT_KINDS } from './vault-entry.ts'

/**
 * Vault entries from a spreadsheet (CSV or the first sheet of an XLSX workbook), the way a
 * research team keeps its contact list: one row per person, a header row naming the columns.
 *
 * | column | holds |
 * | --- | --- |
 * | `respondent` (required) | the respondent's key (R-0042), pseudonym or id |
 * | `names`, `relative_names` | names, several separated by `;` |
 * | `address` | the address, as one cell |
 * | `invite` | the invite link or code they were sent (kept as its token hash) |
 * | `phone`, `email`, `wechat`, `whatsapp`, `telegram`, `signal`, `other_contact` | contacts of that kind, `;` between several |
 * | `passport`, `national_id`, `residence_permit`, `asylum_case`, `other_document` | document numbers of that kind, `;` between several |
 *
 * Every row becomes the same object a JSON Lines entry is (`{"respondent": …, "names": […], …}`),
 * so both go through one check. A header naming an unknown column, or naming one twice, refuses
 * the whole file, naming only the columns (never a cell).
 */

/** Where a row was (`line` in the file's own unit) and the entry object it makes, or why it makes none. */
export type TableEntry =
  | { readonly line: number; readonly value: Record<string, unknown> }
  | { readonly line: number; readonly problem: string }

/** The unit rows are counted in, by format: a CSV's lines, a workbook's rows. */
export type TableFormat = 'csv' | 'xlsx'

/** The spreadsheet format a file name says, or null (JSON Lines). */
export function tableFormatOf(path: string): TableFormat | null {
  const extension = extname(path).toLowerCase()
  return extension === '.csv' ? 'csv' : extension === '.xlsx' ? 'xlsx' : null
}

const CONTACT_COLUMNS: Readonly<Record<string, (typeof CONTACT_KINDS)[number]>> = {
  phone: 'phone',
  email: 'email',
  wechat: 'wechat',
  whatsapp: 'whatsapp',
  telegram: 'telegram',
  signal: 'signal',
  other_contact: 'other',
}
const DOCUMENT_COLUMNS: Readonly<Record<string, (typeof DOCUMENT_KINDS)[number]>> = {
  passport: 'passport',
  national_id: 'national_id',
  residence_permit: 'residence_permit',
  asylum_case: 'asylum_case',
  other_document: 'other',
}
const LIST_COLUMNS = { names: 'names', relative_names: 'relativeNames' } as const
const TEXT_COLUMNS = { respondent: 'respondent', address: 'address', invite: 'invite' } as const
const KNOWN = new Set([
  ...Object.keys(CONTACT_COLUMNS),
  ...Object.keys(DOCUMENT_COLUMNS),
  ...Object.keys(LIST_COLUMNS),
  ...Object.keys(TEXT_COLUMNS),
])

/** The rows of a spreadsheet of vault entries, in file order; blank rows are skipped. */
export async function readVaultTable(path: string, format: TableFormat): Promise<TableEntry[]> {
  const rows = format === 'csv' ? csvRows(path) : await xlsxRows(path)
  const [header, ...body] = rows
  if (header === undefined) throw badHeader('the file is empty')
  const columns = header.cells.map((name) => (name ?? '').trim().toLowerCase())
  checkColumns(columns)
  return body
    .filter((row) => row.cells.some((cell) => cell !== null && cell.trim() !== ''))
    .map((row) =>
      row.cells.includes(null)
        ? { line: row.line, problem: 'a cell holds a formula, a date or another value that is not text' }
        : { line: row.line, value: entryObject(columns, row.cells as readonly string[]) },
    )
}

function checkColumns(columns: readonly string[]): void {
  const problems: string[] = []
  if (!columns.includes('respondent')) problems.push('the header lacks the column respondent')
  // Only names shaped like column names are echoed: a shifted header row can hold someone's details.
  const unknown = columns.filter((name) => !KNOWN.has(name))
  if (unknown.length > 0) {
    const shown = unknown.filter((name) => /^[a-z_]{1,32}$/.test(name))
    problems.push(
      `unknown column(s) ${shown.length > 0 ? shown.join(', ') : '(not shown)'}; the columns are ${[...KNOWN].join(', ')}`,
    )
  }
  const twice = columns.filter((name, at) => name !== '' && columns.indexOf(name) !== at)
  if (twice.length > 0) problems.push(`column(s) named twice: ${[...new Set(twice)].join(', ')}`)
  if (problems.length > 0) throw badHeader(problems.join('; '))
}

const several = (cell: string): string[] =>
  cell
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')

/** The JSON Lines shape of one row: empty cells leave their field out. */
function entryObject(columns: readonly string[], cells: readonly string[]): Record<string, unknown> {
  const value: Record<string, unknown> = {}
  const contacts: { kind: string; value: string }[] = []
  const documents: { kind: string; number: string }[] = []
  columns.forEach((column, at) => {
    const cell = (cells[at] ?? '').trim()
    if (cell === '') return
    const contact = CONTACT_COLUMNS[column]
    const document = DOCUMENT_COLUMNS[column]
    if (contact !== undefined) for (const part of several(cell)) contacts.push({ kind: contact, value: part })
    else if (document !== undefined)
      for (const part of several(cell)) documents.push({ kind: document, number: part })
    else if (column in LIST_COLUMNS) value[LIST_COLUMNS[column as keyof typeof LIST_COLUMNS]] = several(cell)
    else value[TEXT_COLUMNS[column as keyof typeof TEXT_COLUMNS]] = cell
  })
  if (contacts.length > 0) value.contacts = contacts
  if (documents.length > 0) value.documents = documents
  return value
}

interface RawRow {
  readonly line: number
  /** The cells as text; null for a workbook cell that is not text (a formula, a date). */
  readonly cells: readonly (string | null)[]
}

/** A contact list is read whole; no team's list comes near this. */
const TABLE_FILE_LIMIT = 256 * MiB

function csvRows(path: string): RawRow[] {
  const bytes = readFileWithin(path, TABLE_FILE_LIMIT, 'split the list into several files')
  const bad = invalidLine(bytes, 1)
  if (bad !== null) throw badEncoding(bad)
  try {
    const records = parseCsv(bytes, { bom: true, info: true, relax_column_count: true }) as unknown as {
      record: string[]
      info: { lines: number }
    }[]
    return records.map(({ record, info }) => ({ line: info.lines, cells: record }))
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines
      throw inputError(
        'import.bad_csv',
        `The file is not valid CSV${line === undefined ? '' : ` near line ${String(line)}`} (an unclosed quote?).`,
      )
    }
    throw error
  }
}

async function xlsxRows(path: string): Promise<RawRow[]> {
  const rows: RawRow[] = []
  for await (const row of xlsxFirstSheetRows(path)) {
    if (row.values.some((value) => value !== null && value !== undefined))
      rows.push({ line: row.number, cells: Array.from(row.values, (value) => cellText(value)) })
  }
  return rows
}

const badHeader = (problem: string) =>
  inputError('vault.bad_header', `The file cannot be imported: ${problem}.`)
