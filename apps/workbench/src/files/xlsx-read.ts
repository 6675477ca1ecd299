import { Readable } from 'node:stream'
import { crc32, createInflateRaw } from 'node:zlib'
import { inputError, isAmanatError } from '@amanat/domain'
import ExcelJS from 'exceljs'
import { MiB, readFileWithin } from './read-within.ts'

/**
 * Reading the first sheet of a workbook that came from outside (a partner's contact list, coded
 * data from another team) without trusting it. An XLSX file is a ZIP archive of XML parts, and
 * exceljs, left to itself, (1) unpacks whatever the archive says without a limit, so a few
 * megabytes built to unpack into gigabytes (a "zip bomb") exhaust the workbench's memory or the
 * disk, and (2) writes every sheet it meets before the shared strings, unpacked and in clear, to
 * a file in the system's temporary folder (Excel, LibreOffice and exceljs itself all store the
 * sheets first), where it outlives the import on the disk and stays behind if the process is
 * killed: a copy of a contact list or of coded accounts outside the encrypted workspace.
 *
 * So the archive is checked here first (PKWARE APPNOTE.TXT §4.3: one disk, no ZIP64, no
 * encryption, stored or deflated parts only, no two parts sharing bytes, every local header
 * agreeing with the central directory, the parts' sizes within limits), then handed to exceljs
 * as a new stream holding only the parts it needs, in the order that lets it read the sheet as it
 * streams: relationships, workbook, shared strings (an empty list when the file has none), then
 * the sheet. Each part is unpacked here, counting: a part that unpacks to more or fewer bytes than
 * the archive declared is refused as soon as it does, and one whose CRC-32 differs from the
 * archive's is refused as damaged.
 *
 * The first sheet is the one with the lowest number (`xl/worksheets/sheet1.xml`): Excel and
 * LibreOffice number the sheets in tab order when they save.
 */

/** How much an archive may hold. */
export interface XlsxLimits {
  /** The file itself, in bytes. */
  readonly file: number
  /** The parts in the archive (an XLSX file has a dozen or two). */
  readonly entries: number
  /** The sheet unpacked, in bytes: it is streamed, so this bounds time, not memory. */
  readonly sheet: number
  /** The shared strings, the workbook and its relationships unpacked, in bytes: these are held in memory. */
  readonly held: number
}

export const XLSX_LIMITS: XlsxLimits = {
  file: 512 * MiB,
  entries: 10_000,
  sheet: 4095 * MiB,
  held: 256 * MiB,
}

/** One row of the sheet: its number (from 1) and its cell values as exceljs reads them. */
export interface XlsxRow {
  readonly number: number
  readonly values: readonly unknown[]
}

/** The rows of the workbook's first sheet, read as they stream. */
export async function* xlsxFirstSheetRows(
  path: string,
  limits: XlsxLimits = XLSX_LIMITS,
): AsyncGenerator<XlsxRow> {
  const archive = readFileWithin(
    path,
    limits.file,
    'a workbook this large is not a contact list or coded data',
  )
  const parts = needed(zipEntries(archive, limits.entries), limits)
  // exceljs pipes the stream into its unzipper, and neither a pipe nor its unzipper reliably
  // passes on a source that fails half way (it can wait for ever). So every part is unpacked and
  // counted once, its CRC checked, before exceljs sees any of it, which refuses a bomb or damage
  // up front; the stream then unpacks the same, checked bytes again.
  for (const part of parts)
    if ('entry' in part) for await (const chunk of unpacked(archive, part.entry)) void chunk
  const stream = Readable.from(orderedArchive(archive, parts), { objectMode: false })
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  })
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        // exceljs numbers cells from 1: index 0 of `values` is always empty.
        yield { number: row.number, values: Array.isArray(row.values) ? row.values.slice(1) : [] }
      }
      break
    }
  } catch (error) {
    if (isAmanatError(error)) throw error
    throw badXlsx('its sheet cannot be read')
  } finally {
    stream.destroy()
  }
}

/** A part of the archive, from its central directory. */
export interface ZipEntry {
  readonly name: string
  /** Where the part's local header starts in the archive. */
  readonly header: number
  /** 0 stored, 8 deflated. */
  readonly method: 0 | 8
  readonly crc: number
  /** Where the part's bytes start and end in the archive. */
  readonly start: number
  readonly end: number
  readonly size: number
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50
const CENTRAL_HEADER = 0x02014b50
const LOCAL_HEADER = 0x04034b50
const ZIP64_MARK = 0xffffffff

/**
 * The parts of a ZIP archive, checked. Throws `import.bad_xlsx` for anything but a plain
 * single-disk archive whose parts each own their bytes.
 */
export function zipEntries(archive: Uint8Array, maxEntries: number): ZipEntry[] {
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength)
  const u16 = (at: number) => (at + 2 <= archive.length ? view.getUint16(at, true) : NaN)
  const u32 = (at: number) => (at + 4 <= archive.length ? view.getUint32(at, true) : NaN)
  // The end record is the last thing in the file, followed only by its own comment.
  let end = -1
  for (let at = archive.length - 22; at >= Math.max(0, archive.length - 22 - 0xffff); at--) {
    if (u32(at) === END_OF_CENTRAL_DIRECTORY && at + 22 + u16(at + 20) === archive.length) {
      end = at
      break
    }
  }
  if (end < 0) throw badXlsx('it is not a ZIP archive')
  const count = u16(end + 10)
  const directorySize = u32(end + 12)
  const directory = u32(end + 16)
  if (u16(end + 4) !== 0 || u16(end + 6) !== 0 || u16(end + 8) !== count)
    throw badXlsx('it is an archive split over several files')
  if (count === 0xffff || directory === ZIP64_MARK) throw badXlsx('it is a ZIP64 archive')
  if (count > maxEntries) throw tooLarge(`it holds ${String(count)} parts (at most ${String(maxEntries)})`)
  if (directory + directorySize !== end) throw badXlsx('its central directory is not where it says')

  const entries: ZipEntry[] = []
  const names = new Set<string>()
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let at = directory
  for (let i = 0; i < count; i++) {
    if (u32(at) !== CENTRAL_HEADER) throw badXlsx('its central directory is damaged')
    const flags = u16(at + 8)
    const method = u16(at + 10)
    const crc = u32(at + 16)
    const compressed = u32(at + 20)
    const size = u32(at + 24)
    const nameLength = u16(at + 28)
    const next = at + 46 + nameLength + u16(at + 30) + u16(at + 32)
    const local = u32(at + 42)
    if (next > end) throw badXlsx('its central directory is damaged')
    if ((flags & 0x41) !== 0) throw badXlsx('it is encrypted')
    if (method !== 0 && method !== 8) throw badXlsx('a part is compressed in a way XLSX does not use')
    if (compressed === ZIP64_MARK || size === ZIP64_MARK || local === ZIP64_MARK)
      throw badXlsx('it is a ZIP64 archive')
    if (method === 0 && compressed !== size) throw badXlsx('a stored part has two sizes')
    let name: string
    try {
      name = decoder.decode(archive.subarray(at + 46, at + 46 + nameLength))
    } catch {
      throw badXlsx('a part has a name that is not UTF-8')
    }
    if (names.has(name)) throw badXlsx('two parts have the same name')
    names.add(name)
    // The local header must name the same part, with the same method, and its bytes must end
    // before the central directory starts.
    const localName = u16(local + 26)
    const start = local + 30 + localName + u16(local + 28)
    if (
      u32(local) !== LOCAL_HEADER ||
      u16(local + 8) !== method ||
      localName !== nameLength ||
      Buffer.compare(
        archive.subarray(local + 30, local + 30 + localName),
        archive.subarray(at + 46, at + 46 + nameLength),
      ) !== 0 ||
      start + compressed > directory
    )
      throw badXlsx('a part does not match its entry in the central directory')
    entries.push({
      name,
      header: local,
      method: method === 0 ? 0 : 8,
      crc,
      start,
      end: start + compressed,
      size,
    })
    at = next
  }
  // No two parts may share bytes: that is how a small archive claims to unpack to a huge one.
  const byStart = [...entries].sort((a, b) => a.header - b.header)
  for (let i = 1; i < byStart.length; i++) {
    const previous = byStart[i - 1]
    const current = byStart[i]
    if (previous !== undefined && current !== undefined && current.header < previous.end)
      throw badXlsx('two parts share bytes')
  }
  return entries
}

const SHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/
const RELATIONSHIPS = 'xl/_rels/workbook.xml.rels'
const WORKBOOK = 'xl/workbook.xml'
const SHARED_STRINGS = 'xl/sharedStrings.xml'

/** A part to put into the stream: one from the archive, or one written here. */
type Part =
  { readonly name: string; readonly entry: ZipEntry } | { readonly name: string; readonly text: string }

/** The parts exceljs needs for the first sheet, in the order it reads them as they stream. */
function needed(entries: readonly ZipEntry[], limits: XlsxLimits): Part[] {
  const byName = new Map(entries.map((entry) => [entry.name, entry]))
  const sheets = entries
    .map((entry) => ({ entry, number: Number(SHEET.exec(entry.name)?.[1] ?? NaN) }))
    .filter(({ number }) => Number.isSafeInteger(number))
    .sort((a, b) => a.number - b.number)
  const sheet = sheets[0]?.entry
  const workbook = byName.get(WORKBOOK)
  if (sheet === undefined || workbook === undefined) throw badXlsx('it has no worksheet')
  const relationships = byName.get(RELATIONSHIPS)
  const strings = byName.get(SHARED_STRINGS)
  const held = [workbook, relationships, strings].reduce((sum, entry) => sum + (entry?.size ?? 0), 0)
  if (held > limits.held)
    throw tooLarge(`its workbook and shared strings unpack to ${mib(held)} (at most ${mib(limits.held)})`)
  if (sheet.size > limits.sheet)
    throw tooLarge(`its first sheet unpacks to ${mib(sheet.size)} (at most ${mib(limits.sheet)})`)
  return [
    relationships === undefined
      ? { name: RELATIONSHIPS, text: EMPTY_RELATIONSHIPS }
      : { name: RELATIONSHIPS, entry: relationships },
    { name: WORKBOOK, entry: workbook },
    strings === undefined
      ? { name: SHARED_STRINGS, text: EMPTY_SHARED_STRINGS }
      : { name: SHARED_STRINGS, entry: strings },
    { name: sheet.name, entry: sheet },
  ]
}

const EMPTY_RELATIONSHIPS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
const EMPTY_SHARED_STRINGS =
  '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'

/**
 * A new archive stream of `parts`, each stored (unpacked here, so what exceljs reads is exactly
 * what was counted and checked), ending with an empty end record. The CRC is the archive's own,
 * checked as each part is unpacked (exceljs does not check it).
 */
async function* orderedArchive(archive: Uint8Array, parts: readonly Part[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8')
    if ('text' in part) {
      const text = Buffer.from(part.text, 'utf8')
      yield localHeader(name, 0, text.length)
      yield text
      continue
    }
    yield localHeader(name, part.entry.crc, part.entry.size)
    yield* unpacked(archive, part.entry)
  }
  const endRecord = Buffer.alloc(22)
  endRecord.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0)
  yield endRecord
}

function localHeader(name: Buffer, crc: number, size: number): Buffer {
  const header = Buffer.alloc(30)
  header.writeUInt32LE(LOCAL_HEADER, 0)
  header.writeUInt16LE(20, 4) // version needed: 2.0
  header.writeUInt16LE(0x800, 6) // the name is UTF-8
  header.writeUInt16LE(0, 8) // stored
  header.writeUInt32LE(crc, 14)
  header.writeUInt32LE(size, 18)
  header.writeUInt32LE(size, 22)
  header.writeUInt16LE(name.length, 26)
  return Buffer.concat([header, name])
}

/**
 * A part's bytes, unpacked, counted and checked: refused the moment they exceed the declared size,
 * and at the end when they fall short of it or their CRC-32 is not the archive's (a part damaged
 * where inflating cannot see it, or stored, would otherwise be read with other values than the
 * ones its author saved).
 */
async function* unpacked(archive: Uint8Array, entry: ZipEntry): AsyncGenerator<Uint8Array> {
  const bytes = archive.subarray(entry.start, entry.end)
  if (entry.method === 0) {
    // A stored part's size was checked against the directory already.
    if (crc32(bytes) !== entry.crc) throw damagedPart(entry)
    yield bytes
    return
  }
  const inflate = createInflateRaw()
  inflate.end(bytes)
  let total = 0
  let crc = 0
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      total += chunk.length
      if (total > entry.size) throw badXlsx(`${entry.name} unpacks to more than the archive says`)
      crc = crc32(chunk, crc)
      yield chunk
    }
  } catch (error) {
    if (isAmanatError(error)) throw error
    throw badXlsx(`${entry.name} is damaged`)
  } finally {
    inflate.destroy()
  }
  if (total !== entry.size) throw badXlsx(`${entry.name} unpacks to less than the archive says`)
  if (crc !== entry.crc) throw damagedPart(entry)
}

const damagedPart = (entry: ZipEntry) =>
  badXlsx(`${entry.name} is damaged: its checksum is not the one the archive gives`)

const mib = (bytes: number) => `${(bytes / MiB).toFixed(bytes < MiB ? 2 : 0)} MiB`

const badXlsx = (why: string) =>
  inputError('import.bad_xlsx', `The file is not an XLSX workbook that can be read: ${why}.`)

const tooLarge = (why: string) =>
  inputError('import.too_large', `The workbook is too large to import: ${why}.`)
