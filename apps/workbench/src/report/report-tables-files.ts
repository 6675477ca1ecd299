import { stringify } from 'csv-stringify/sync'
import { xlsxBytes } from '../files/xlsx.ts'
import { guardFormula } from '../files/formula-guard.ts'
import type { ReportTable } from './report-data.ts'

/**
 * The report's tables as files a reader opens in a spreadsheet: one CSV per table (RFC 4180, CRLF,
 * BOM, formula-guarded like every export) and one workbook with a sheet per table. Columns are
 * each dimension's label, then the count; a suppressed cell says so in the count column, never 0.
 * Deterministic: the workbook is written by files/xlsx.ts.
 */

/** Header and body rows of a table: labels for values, the count or the suppressed word. */
export function tableRows(table: ReportTable, countTitle: string, suppressedWord: string): string[][] {
  const header = [...table.dimensions, countTitle]
  const body = table.cells.map((cell) => [
    ...table.dimensions.map((d) => {
      const value = cell[d]
      const text = typeof value === 'string' ? value : ''
      return table.labels[d]?.[text] ?? text
    }),
    cell.count === null ? suppressedWord : String(cell.count),
  ])
  return [header, ...body]
}

export function tableCsv(table: ReportTable, countTitle: string, suppressedWord: string): Uint8Array {
  const rows = tableRows(table, countTitle, suppressedWord).map((row) => row.map(guardFormula))
  return new TextEncoder().encode(stringify(rows, { bom: true, record_delimiter: 'windows' }))
}

export async function tablesXlsx(
  tables: readonly ReportTable[],
  countTitle: string,
  suppressedWord: string,
): Promise<Uint8Array> {
  return xlsxBytes(
    tables.map((table) => {
      const [header = [], ...body] = tableRows(table, countTitle, suppressedWord)
      const numericBody = body.map((row, i) => {
        const count = table.cells[i]?.count ?? null
        return [...row.slice(0, -1), count === null ? suppressedWord : count]
      })
      return { name: table.name, rows: [header, ...numericBody] }
    }),
  )
}
