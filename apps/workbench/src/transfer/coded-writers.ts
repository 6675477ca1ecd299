import { stringify } from 'csv-stringify/sync'
import { guardFormula } from '../files/formula-guard.ts'
import { xlsxBytes } from '../files/xlsx.ts'
import { EXPORT_COLUMNS, type CodedCells } from './coded-columns.ts'
import type { CodedFormat } from './row-sources.ts'

/**
 * Coded rows as file bytes, deterministic: the same rows give the same bytes in every format, on
 * every run, so an export can be compared by its SHA-256. CSV is RFC 4180 with CRLF and a BOM
 * (spreadsheets then read it as UTF-8), formula-guarded; XLSX has one sheet of text cells (the
 * year a number) with fixed workbook and archive dates; JSON is an array of row objects, one a
 * line, empty cells as null.
 */
export async function encodeCodedRows(rows: readonly CodedCells[], format: CodedFormat): Promise<Uint8Array> {
  switch (format) {
    case 'csv':
      return csvBytes(rows)
    case 'xlsx':
      return codedSheet(rows)
    case 'json':
      return jsonBytes(rows)
  }
}

const cellsInOrder = (row: CodedCells) => EXPORT_COLUMNS.map((column) => row[column])

function csvBytes(rows: readonly CodedCells[]): Uint8Array {
  const records = [EXPORT_COLUMNS, ...rows.map((row) => cellsInOrder(row).map(guardFormula))]
  return new TextEncoder().encode(stringify(records, { bom: true, record_delimiter: 'windows' }))
}

/** One sheet of text cells; the year a number, empty cells empty. */
function codedSheet(rows: readonly CodedCells[]): Promise<Uint8Array> {
  const yearColumn = EXPORT_COLUMNS.indexOf('year')
  const values = rows.map((row) => {
    const cells: (string | number | null)[] = cellsInOrder(row).map((cell) => (cell === '' ? null : cell))
    const year = cells[yearColumn]
    if (typeof year === 'string') cells[yearColumn] = Number(year)
    return cells
  })
  return xlsxBytes([{ name: 'coded data', rows: [[...EXPORT_COLUMNS], ...values] }])
}

function jsonBytes(rows: readonly CodedCells[]): Uint8Array {
  const lines = rows.map((row) =>
    JSON.stringify(
      Object.fromEntries(EXPORT_COLUMNS.map((column) => [column, row[column] === '' ? null : row[column]])),
    ),
  )
  return new TextEncoder().encode(lines.length === 0 ? '[]\n' : `[\n${lines.join(',\n')}\n]\n`)
}
