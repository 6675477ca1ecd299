import ExcelJS from 'exceljs'
import { zipWithFixedTimes } from './zip-fixed-times.ts'

/**
 * Deterministic XLSX: the same sheets give the same bytes on every run, so a file the workbench
 * writes (an export, a report's tables) can be compared by its SHA-256. exceljs stamps the
 * workbook's properties and every archive entry with the current time; both are fixed here.
 */

/** One worksheet: its name (Excel allows 31 characters at most) and its rows, header first. */
export interface XlsxSheet {
  readonly name: string
  readonly rows: readonly (readonly (string | number | null)[])[]
}

/** Every date exceljs writes into the workbook's properties. */
const FIXED_DATE = new Date('2000-01-01T00:00:00Z')

export async function xlsxBytes(sheets: readonly XlsxSheet[]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Amanat'
  workbook.lastModifiedBy = 'Amanat'
  workbook.created = FIXED_DATE
  workbook.modified = FIXED_DATE
  workbook.lastPrinted = FIXED_DATE
  for (const { name, rows } of sheets) {
    const sheet = workbook.addWorksheet(name.slice(0, 31))
    for (const row of rows) sheet.addRow([...row])
  }
  return zipWithFixedTimes(new Uint8Array(await workbook.xlsx.writeBuffer()))
}
