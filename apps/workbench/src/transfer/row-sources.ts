import { createReadStream } from 'node:fs'
import { extname } from 'node:path'
import { isUtf8 } from 'node:buffer'
import { pipeline, Transform, type TransformCallback } from 'node:stream'
import { inputError, usageError } from '@amanat/domain'
import { parse as parseCsv, CsvError } from 'csv-parse'
import { z } from 'zod'
import { cellsByPosition, cellsOf, headerProblems, type CodedCells } from './coded-columns.ts'
import { unguardFormula } from '../files/formula-guard.ts'
import { MiB, readFileWithin } from '../files/read-within.ts'
import { xlsxFirstSheetRows } from '../files/xlsx-read.ts'

/**
 * Reading a coded-data file as rows of text cells, every column trimmed, whatever its format: CSV
 * (RFC 4180, streamed), XLSX (the first sheet, streamed) or JSON (an array of row objects). Each row says
 * where it was (`line` in the file's own unit) so problems can point at it. A row the reader
 * could not turn into text cells carries its `problem` instead.
 *
 * Throws input errors for what makes the whole file unreadable: `import.bad_header`,
 * `import.bad_encoding` (CSV/JSON that is not UTF-8, with its line), `import.bad_csv` (an unclosed
 * quote and the like, with its line), `import.bad_json`, `import.bad_xlsx`.
 */
export interface SourceRow {
  readonly line: number
  readonly cells: CodedCells
  readonly problem?: string
}

export type CodedFormat = 'csv' | 'xlsx' | 'json'

/** How each format counts the place of a row in messages. */
export const LINE_UNIT: Readonly<Record<CodedFormat, string>> = { csv: 'line', xlsx: 'row', json: 'item' }

/** The format a file name says, or a usage error. */
export function formatOfFile(path: string): CodedFormat {
  const extension = extname(path).toLowerCase().slice(1)
  if (extension === 'csv' || extension === 'xlsx' || extension === 'json') return extension
  throw usageError('import.unknown_format', 'amanat import reads .csv, .xlsx and .json files.')
}

/** The rows of `path`, in file order; empty rows are skipped. */
export function readCodedRows(
  path: string,
  format: CodedFormat,
): AsyncIterable<SourceRow> | Iterable<SourceRow> {
  switch (format) {
    case 'csv':
      return csvRows(path)
    case 'xlsx':
      return xlsxRows(path)
    case 'json':
      return jsonRows(path)
  }
}

function checkHeader(header: readonly string[]): void {
  const problems = headerProblems(header)
  if (problems.length > 0)
    throw inputError('import.bad_header', `The file cannot be imported: ${problems.join('; ')}.`)
}

const isBlank = (values: readonly unknown[]) =>
  values.every((value) => value === '' || value === null || value === undefined)

async function* csvRows(path: string): AsyncGenerator<SourceRow> {
  // pipeline, not pipe: an encoding error must reach the loop below, not escape as an uncaught one.
  const parser = pipeline(
    createReadStream(path),
    new Utf8Lines(),
    parseCsv({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true }),
    () => undefined,
  )
  let header: string[] | null = null
  let cellsOfRecord = cellsByPosition([])
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[]
      info: { lines: number }
    }>) {
      if (header === null) {
        header = record.map((name) => name.trim())
        checkHeader(header)
        cellsOfRecord = cellsByPosition(header, unguardFormula)
        continue
      }
      if (isBlank(record)) continue
      const row = { line: info.lines, cells: cellsOfRecord(record) }
      yield record.length === header.length
        ? row
        : {
            ...row,
            problem: `expected ${String(header.length)} cells as in the header, found ${String(record.length)}`,
          }
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const at = (error as CsvError & { lines?: number }).lines
      throw inputError(
        'import.bad_csv',
        `The CSV cannot be read${at === undefined ? '' : ` at line ${String(at)}`}: ${error.message.replace(/:.*$/s, '')}.`,
      )
    }
    throw error
  }
  if (header === null) throw inputError('import.bad_header', 'The file is empty: it has no header row.')
}

/**
 * Passes bytes through unchanged, refusing any line that is not valid UTF-8 with its line
 * number. Splitting at newlines is safe: byte 0x0A never occurs inside a multi-byte sequence.
 */
class Utf8Lines extends Transform {
  #line = 1
  #tail: Buffer = Buffer.alloc(0)

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const bytes = this.#tail.length === 0 ? chunk : Buffer.concat([this.#tail, chunk])
    const end = bytes.lastIndexOf(0x0a) + 1
    this.#tail = bytes.subarray(end)
    const whole = bytes.subarray(0, end)
    const problem = this.#check(whole)
    if (problem !== null) return done(problem)
    done(null, whole)
  }

  override _flush(done: TransformCallback): void {
    done(this.#check(this.#tail), this.#tail)
  }

  #check(bytes: Buffer): Error | null {
    const bad = invalidLine(bytes, this.#line)
    if (bad !== null) return badEncoding(bad)
    for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) this.#line++
    return null
  }
}

/** The number of the first line of `bytes` that is not valid UTF-8, counting from `first`; null when all are. */
export function invalidLine(bytes: Buffer, first: number): number | null {
  if (isUtf8(bytes)) return null
  for (let line = first, start = 0; ; line++) {
    const newline = bytes.indexOf(0x0a, start)
    const end = newline === -1 ? bytes.length : newline
    if (!isUtf8(bytes.subarray(start, end))) return line
    start = end + 1
  }
}

/** The refusal of a file whose line `line` is not UTF-8. */
export function badEncoding(line: number): Error {
  return inputError(
    'import.bad_encoding',
    `Line ${String(line)} is not valid UTF-8: save the file as UTF-8 (in Excel: "CSV UTF-8") and try again.`,
  )
}

async function* xlsxRows(path: string): AsyncGenerator<SourceRow> {
  let header: string[] | null = null
  let cellsOfRow = cellsByPosition([])
  for await (const row of xlsxFirstSheetRows(path)) {
    if (header === null) {
      header = row.values.map((value) => cellText(value)?.trim() ?? '')
      checkHeader(header)
      cellsOfRow = cellsByPosition(header)
      continue
    }
    if (isBlank(row.values)) continue
    const texts = row.values.map(cellText)
    const bad = texts.findIndex((text) => text === null)
    const row_ = { line: row.number, cells: cellsOfRow(texts.map((text) => text ?? '')) }
    yield bad === -1
      ? row_
      : {
          ...row_,
          problem: `${header[bad] ?? `column ${String(bad + 1)}`}: a formula, date or error cell; the format takes text and numbers only`,
        }
  }
  if (header === null)
    throw inputError('import.bad_header', "The workbook's first sheet is empty: it has no header row.")
}

/** The text of a cell value as exceljs reads it; null for what the format does not take. */
export function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  if (typeof value === 'object' && 'richText' in value && Array.isArray(value.richText)) {
    return (value.richText as { text: string }[]).map((part) => part.text).join('')
  }
  if (typeof value === 'object' && 'text' in value && typeof value.text === 'string' && 'hyperlink' in value)
    return value.text
  return null
}

const JsonCell = z.union([z.string(), z.number(), z.null()])
const JsonRow = z.record(z.string(), JsonCell)

/** JSON is parsed whole: a larger file is refused, and CSV (streamed) takes any size. */
export const JSON_FILE_LIMIT = 256 * MiB

function* jsonRows(path: string): Generator<SourceRow> {
  const bytes = readFileWithin(path, JSON_FILE_LIMIT, 'save it as CSV, which is read as it streams')
  const bad = invalidLine(bytes, 1)
  if (bad !== null) throw badEncoding(bad)
  let items: unknown
  try {
    items = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''))
  } catch {
    throw inputError('import.bad_json', 'The file is not valid JSON.')
  }
  if (!Array.isArray(items))
    throw inputError('import.bad_json', 'The JSON file must be an array of row objects.')
  for (const [index, item] of items.entries()) {
    const line = index + 1
    const parsed = JsonRow.safeParse(item)
    if (!parsed.success) {
      yield { line, cells: cellsOf({}), problem: 'expected an object whose values are text, numbers or null' }
      continue
    }
    const problems = headerProblems(Object.keys(parsed.data))
    const given: Record<string, string> = {}
    for (const [name, value] of Object.entries(parsed.data)) given[name] = value === null ? '' : String(value)
    const cells = cellsOf(given)
    yield problems.length === 0
      ? { line, cells }
      : { line, cells, problem: problems.join('; ').replace(/the header/g, 'the object') }
  }
}
