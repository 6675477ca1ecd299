import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deflateRawSync } from 'node:zlib'
import { isAmanatError } from '@amanat/domain'
import ExcelJS from 'exceljs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { XLSX_LIMITS, xlsxFirstSheetRows, zipEntries, type XlsxLimits } from '../../src/files/xlsx-read.ts'
import { REQUIRED_COLUMNS } from '../../src/transfer/coded-columns.ts'
import { readCodedRows } from '../../src/transfer/row-sources.ts'
import { readVaultTable } from '../../src/vault/vault-table.ts'
import { inTemporaryFolder, tempDir } from '../support.ts'
import { partsOf, zipOf, type Part } from './zip-builder.ts'

/**
 * A workbook from outside is read without trusting it: no unpacked copy in the temporary folder,
 * no part unpacked past its limit or past the size the archive declares, and every damaged
 * archive refused with a stable code, or read with exactly the values that were saved.
 */

/** The parts of a workbook exceljs writes (which puts the sheets before the shared strings). */
async function excelParts(rows: readonly (readonly (string | number)[])[], sheets = 1): Promise<Part[]> {
  const workbook = new ExcelJS.Workbook()
  for (let i = 1; i <= sheets; i++) {
    const sheet = workbook.addWorksheet(`sheet ${String(i)}`)
    for (const row of rows) sheet.addRow(i === 1 ? [...row] : [`sheet ${String(i)}`, ...row])
  }
  return partsOf(new Uint8Array(await workbook.xlsx.writeBuffer()))
}

const text = (value: string) => new TextEncoder().encode(value)
const SHEET_START =
  '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
const SHEET_END = '</sheetData></worksheet>'

/** A sheet with inline strings, the way streaming writers (Apache POI's, for one) write it. */
function inlineSheet(rows: readonly (readonly string[])[]): string {
  const cells = rows.map(
    (row, r) =>
      `<row r="${String(r + 1)}">${row
        .map(
          (value, c) =>
            `<c r="${String.fromCharCode(65 + c)}${String(r + 1)}" t="inlineStr"><is><t>${value}</t></is></c>`,
        )
        .join('')}</row>`,
  )
  return `${SHEET_START}${cells.join('')}${SHEET_END}`
}

const WORKBOOK = text(
  '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="one" sheetId="1" r:id="rId1"/></sheets></workbook>',
)

function written(archive: Uint8Array, name = 'book.xlsx'): string {
  const file = join(tempDir(), name)
  writeFileSync(file, archive)
  return file
}

async function rowsOf(path: string, limits?: XlsxLimits): Promise<unknown[][]> {
  const rows: unknown[][] = []
  for await (const row of xlsxFirstSheetRows(path, limits)) rows.push([...row.values])
  return rows
}

/** The code of what reading `path` throws (or 'read' when it reads). */
async function outcome(path: string, limits?: XlsxLimits): Promise<string> {
  try {
    await rowsOf(path, limits)
    return 'read'
  } catch (error) {
    if (!isAmanatError(error)) throw error
    return `${error.code}: ${error.message}`
  }
}

/** Runs `read` with the system's temporary folder pointed at an empty one, and returns what it left there. */
async function leftInTemporaryFolder(read: () => Promise<unknown>): Promise<string[]> {
  const folder = tempDir()
  await inTemporaryFolder(folder, read)
  return readdirSync(folder)
}

describe('reading a workbook from outside', () => {
  it('reads the first sheet as it streams and writes nothing, in clear or otherwise, to the temporary folder', async () => {
    const header = ['respondent', 'names', 'phone']
    const parts = await excelParts([header, ['R-1', 'Xlsxtmp Synthetic; ۋاۋلت', 905550102222]], 2)
    // exceljs, Excel and LibreOffice put the sheets before the shared strings.
    const names = parts.map((part) => part.name)
    expect(names.indexOf('xl/worksheets/sheet1.xml')).toBeLessThan(names.indexOf('xl/sharedStrings.xml'))
    // The second sheet comes first in the archive: the first sheet is still the one read.
    const sheet2 = parts.findIndex((part) => part.name === 'xl/worksheets/sheet2.xml')
    const reordered = [parts[sheet2], ...parts.filter((_, i) => i !== sheet2)].filter(
      (part) => part !== undefined,
    )
    const file = written(zipOf(reordered))

    let rows: unknown[][] = []
    expect(await leftInTemporaryFolder(async () => (rows = await rowsOf(file)))).toEqual([])
    expect(rows).toEqual([header, ['R-1', 'Xlsxtmp Synthetic; ۋاۋلت', 905550102222]])

    // Both importers read through it, and neither leaves a file behind: the vault's contact list
    // and coded data.
    let entries: unknown[] = []
    expect(await leftInTemporaryFolder(async () => (entries = await readVaultTable(file, 'xlsx')))).toEqual(
      [],
    )
    expect(entries).toEqual([
      {
        line: 2,
        value: {
          respondent: 'R-1',
          names: ['Xlsxtmp Synthetic', 'ۋاۋلت'],
          contacts: [{ kind: 'phone', value: '905550102222' }],
        },
      },
    ])
    const coded = written(
      zipOf(await excelParts([[...REQUIRED_COLUMNS], REQUIRED_COLUMNS.map((column) => `Xlsxtmp ${column}`)])),
    )
    const lines: number[] = []
    expect(
      await leftInTemporaryFolder(async () => {
        for await (const row of readCodedRows(coded, 'xlsx')) lines.push(row.line)
      }),
    ).toEqual([])
    expect(lines).toEqual([2])
  })

  it('reads a workbook with inline strings, without shared strings or relationships', async () => {
    const file = written(
      zipOf([
        {
          name: 'xl/worksheets/sheet1.xml',
          data: text(
            inlineSheet([
              ['respondent', 'names'],
              ['R-2', '瓦尔特 合成'],
            ]),
          ),
        },
        { name: 'xl/workbook.xml', data: WORKBOOK },
      ]),
    )
    let rows: unknown[][] = []
    expect(await leftInTemporaryFolder(async () => (rows = await rowsOf(file)))).toEqual([])
    expect(rows).toEqual([
      ['respondent', 'names'],
      ['R-2', '瓦尔特 合成'],
    ])
  })

  it('refuses a part that unpacks to more than the archive declares, after reading no more than that', async () => {
    // 64 MiB of XML whitespace deflate to about 64 KB; the archive claims 10 KB.
    const bomb = new Uint8Array(64 * 1024 * 1024).fill(0x20)
    const deflated = deflateRawSync(bomb)
    const sheet = { name: 'xl/worksheets/sheet1.xml', data: bomb, declared: 10_000, deflated }
    const file = written(zipOf([{ name: 'xl/workbook.xml', data: WORKBOOK }, sheet]))
    expect(await outcome(file)).toMatch(
      /^import\.bad_xlsx: .*sheet1\.xml unpacks to more than the archive says/,
    )
    expect(await leftInTemporaryFolder(() => outcome(file))).toEqual([])

    // Fewer bytes than declared is refused too: the archive is not what it says.
    const short = written(
      zipOf([
        { name: 'xl/workbook.xml', data: WORKBOOK },
        { name: 'xl/worksheets/sheet1.xml', data: text(inlineSheet([['a']])), declared: 100_000 },
      ]),
    )
    expect(await outcome(short)).toMatch(/^import\.bad_xlsx: .*unpacks to less than the archive says/)
  })

  it('refuses a part whose bytes are not the ones its author saved, stored or deflated', async () => {
    const sheet = text(
      inlineSheet([
        ['respondent', 'relatives held'],
        ['R-7', '3'],
      ]),
    )
    const workbook = { name: 'xl/workbook.xml', data: WORKBOOK }
    const sound = zipOf([workbook, { name: 'xl/worksheets/sheet1.xml', data: sheet, stored: true }])
    expect(await rowsOf(written(sound))).toEqual([
      ['respondent', 'relatives held'],
      ['R-7', '3'],
    ])
    // One digit changed in the stored sheet: the XML is still sound, the size the same.
    const at = Buffer.from(sound).lastIndexOf('<t>3</t>') + 3
    const changed = Buffer.from(sound)
    changed[at] = 0x38
    expect(await outcome(written(changed))).toMatch(
      /^import\.bad_xlsx: .*sheet1\.xml is damaged: its checksum is not the one the archive gives/,
    )
    // A deflated part that inflates cleanly to the declared size, but to other bytes.
    const other = Buffer.from(sheet)
    other[Buffer.from(sheet).lastIndexOf('<t>3</t>') + 3] = 0x38
    const lying = zipOf([
      workbook,
      { name: 'xl/worksheets/sheet1.xml', data: other, crc: zipEntries(sound, 10)[1]?.crc ?? 0 },
    ])
    expect(await outcome(written(lying))).toMatch(/^import\.bad_xlsx: .*sheet1\.xml is damaged/)
  })

  it('refuses, before unpacking anything, parts declared larger than the limits, a file too large and too many parts', async () => {
    const small: XlsxLimits = { file: 1024 * 1024, entries: 8, sheet: 100_000, held: 50_000 }
    const sheet = text(inlineSheet(Array.from({ length: 2000 }, (_, i) => [`R-${String(i)}`, 'x'])))
    expect(sheet.length).toBeGreaterThan(small.sheet)
    const big = written(
      zipOf([
        { name: 'xl/workbook.xml', data: WORKBOOK },
        { name: 'xl/worksheets/sheet1.xml', data: sheet },
      ]),
    )
    expect(await outcome(big, small)).toMatch(/^import\.too_large: .*first sheet unpacks to/)
    expect(await outcome(big)).toBe('read')

    const strings = text(`<sst>${'<si><t>x</t></si>'.repeat(5000)}</sst>`)
    const held = written(
      zipOf([
        { name: 'xl/workbook.xml', data: WORKBOOK },
        { name: 'xl/sharedStrings.xml', data: strings },
        { name: 'xl/worksheets/sheet1.xml', data: text(inlineSheet([['a']])) },
      ]),
    )
    expect(await outcome(held, small)).toMatch(/^import\.too_large: .*workbook and shared strings unpack to/)

    const many = written(
      zipOf([
        { name: 'xl/workbook.xml', data: WORKBOOK },
        { name: 'xl/worksheets/sheet1.xml', data: text(inlineSheet([['a']])) },
        ...Array.from({ length: 8 }, (_, i) => ({ name: `xl/media/image${String(i)}.png`, data: text('x') })),
      ]),
    )
    expect(await outcome(many, small)).toMatch(/^import\.too_large: .*holds 10 parts \(at most 8\)/)
    expect(await outcome(many, { ...small, file: 100 })).toMatch(
      /^import\.too_large: .*book\.xlsx is larger than 100 bytes, the most read whole: /,
    )
  })

  it('refuses parts that share bytes, duplicate names, encryption, ZIP64 and a central directory that disagrees', async () => {
    const sheet = text(inlineSheet([['respondent'], ['R-3']]))
    // A stored part whose bytes hold the next part, header and all: one copy, two parts.
    const inner = zipOf([{ name: 'xl/worksheets/sheet1.xml', data: sheet, stored: true }])
    const innerLength = inner.length - 22 - (46 + 'xl/worksheets/sheet1.xml'.length)
    const overlapping = Buffer.from(
      zipOf([
        { name: 'xl/workbook.xml', data: WORKBOOK },
        { name: 'xl/padding.bin', data: inner.subarray(0, innerLength), stored: true },
      ]),
    )
    // Add a central entry for the part inside the padding, pointing into it.
    const entries = zipEntries(overlapping, 10)
    const padding = entries.find((entry) => entry.name === 'xl/padding.bin')
    if (padding === undefined) throw new Error('no padding part')
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt32LE(sheet.length, 20)
    central.writeUInt32LE(sheet.length, 24)
    central.writeUInt16LE('xl/worksheets/sheet1.xml'.length, 28)
    central.writeUInt32LE(padding.start, 42)
    const endAt = overlapping.length - 22
    const directoryAt = overlapping.readUInt32LE(endAt + 16)
    const directory = Buffer.concat([
      overlapping.subarray(directoryAt, endAt),
      central,
      Buffer.from('xl/worksheets/sheet1.xml'),
    ])
    const end = Buffer.from(overlapping.subarray(endAt))
    end.writeUInt16LE(3, 8)
    end.writeUInt16LE(3, 10)
    end.writeUInt32LE(directory.length, 12)
    const shared = written(Buffer.concat([overlapping.subarray(0, directoryAt), directory, end]))
    expect(await outcome(shared)).toMatch(/^import\.bad_xlsx: .*two parts share bytes/)

    const twice = written(
      zipOf([
        { name: 'xl/workbook.xml', data: WORKBOOK },
        { name: 'xl/worksheets/sheet1.xml', data: sheet },
        { name: 'xl/worksheets/sheet1.xml', data: sheet },
      ]),
    )
    expect(await outcome(twice)).toMatch(/^import\.bad_xlsx: .*two parts have the same name/)

    const good = zipOf([
      { name: 'xl/workbook.xml', data: WORKBOOK },
      { name: 'xl/worksheets/sheet1.xml', data: sheet },
    ])
    const directoryOf = (archive: Buffer) => archive.readUInt32LE(archive.length - 22 + 16)
    const edited = (edit: (archive: Buffer) => void) => {
      const copy = Buffer.from(good)
      edit(copy)
      return written(copy)
    }
    expect(await outcome(written(good))).toBe('read')
    expect(await outcome(edited((a) => a.writeUInt16LE(1, directoryOf(a) + 8)))).toMatch(/it is encrypted/)
    expect(await outcome(edited((a) => a.writeUInt32LE(0xffffffff, directoryOf(a) + 24)))).toMatch(/ZIP64/)
    expect(await outcome(edited((a) => a.writeUInt16LE(14, directoryOf(a) + 10)))).toMatch(
      /compressed in a way/,
    )
    expect(await outcome(edited((a) => a.writeUInt8(0x58, 30)))).toMatch(/does not match its entry/)
    expect(await outcome(edited((a) => a.writeUInt32LE(0, a.length - 22 + 16)))).toMatch(/central directory/)
    expect(await outcome(written(good.subarray(0, good.length - 1)))).toMatch(/not a ZIP archive/)
    expect(await outcome(written(text('respondent,names\nR-1,x\n')))).toMatch(/not a ZIP archive/)
  })

  it('gives rows or a stable refusal for any damage to a workbook, never another error and never a hang', async () => {
    const rows = [['respondent', 'names'], ...Array.from({ length: 30 }, (_, i) => [`R-${String(i)}`, 'x'])]
    const good = zipOf(await excelParts(rows))
    const codes = new Set<string>()
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        async (flips) => {
          const damaged = Buffer.from(good)
          for (const [at, value] of flips) damaged[at] = value
          const file = written(damaged, 'damaged.xlsx')
          const result = await outcome(file)
          codes.add(result.split(':')[0] ?? '')
          expect(result).toMatch(/^(read|import\.bad_xlsx|import\.too_large)/)
          // What still reads is what was written: damage is refused, never read as other values.
          if (result === 'read') expect(await rowsOf(file)).toEqual(rows)
        },
      ),
      { numRuns: 300, seed: 20261127 },
    )
    // The damage reached both outcomes: some files still read, some were refused.
    expect(codes).toContain('read')
    expect(codes).toContain('import.bad_xlsx')

    // The same for damage inside the XML of the parts that are read, in a sound archive.
    const parts = await excelParts([
      ['respondent', 'names', 5],
      ['R-1', 'x', 6],
    ])
    const read = [
      'xl/worksheets/sheet1.xml',
      'xl/sharedStrings.xml',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
    ]
    const inXml = new Set<string>()
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...read),
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 1, maxExcluded: true }),
            fc.constantFrom(0x3c, 0x3e, 0x22, 0x2f, 0x00, 0xff, 0x26),
          ),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        async (name, edits) => {
          const damaged = parts.map((part) => {
            if (part.name !== name) return part
            const data = Buffer.from(part.data)
            for (const [at, value] of edits) data[Math.floor(at * data.length)] = value
            return { name, data }
          })
          const result = await outcome(written(zipOf(damaged), 'xml.xlsx'))
          inXml.add(result.split(':')[0] ?? '')
          expect(result).toMatch(/^(read|import\.bad_xlsx)/)
        },
      ),
      { numRuns: 150, seed: 20261128 },
    )
    expect(inXml).toEqual(new Set(['read', 'import.bad_xlsx']))
    expect(XLSX_LIMITS.sheet).toBeGreaterThan(XLSX_LIMITS.held)
  })
})
