import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { unlockIdentity } from '@amanat/crypto/open'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { POSTGRES_URL, ageCliAvailable, postgresAvailable } from '../../../../tools/test-support/services.ts'
import { EXPORT_COLUMNS, REQUIRED_COLUMNS, type CodedCells } from '../../src/transfer/coded-columns.ts'
import { EMPTY_INCIDENT_CELLS } from '../../src/transfer/coded-row.ts'
import { encodeCodedRows } from '../../src/transfer/coded-writers.ts'
import { TEST_PASSPHRASE, tempDir } from '../support.ts'
import { partsOf, zipOf } from '../files/zip-builder.ts'
import { eventCount, newWorkspace, ok, run, studyRows } from './support.ts'

const hasPostgres = await postgresAvailable()

/** Imports `file` into `workspace` and returns the outcome as --json prints it. */
async function importFile(
  workspace: string,
  file: string,
): Promise<{ written: number; unchanged: number; respondents: number }> {
  const result = await ok(['import', file, '--workspace', workspace, '--json'])
  return JSON.parse(result.stdout[0] ?? '{}') as { written: number; unchanged: number; respondents: number }
}

/** A plaintext CSV export of `workspace`, as bytes. */
async function exportCsv(workspace: string): Promise<Buffer> {
  const out = join(tempDir(), 'export.csv')
  await ok(['export', '--workspace', workspace, '--format', 'csv', '--out', out, '--plaintext'])
  return readFileSync(out)
}

async function writeRows(
  rows: readonly CodedCells[],
  format: 'csv' | 'xlsx' | 'json',
  name = `rows.${format}`,
): Promise<string> {
  const file = join(tempDir(), name)
  writeFileSync(file, await encodeCodedRows(rows, format))
  return file
}

/** A CSV written by hand: the required columns only, in the order given, CRLF line ends. */
function handCsv(lines: readonly string[]): string {
  const file = join(tempDir(), 'hand.csv')
  writeFileSync(file, [REQUIRED_COLUMNS.join(','), ...lines, ''].join('\r\n'))
  return file
}

const GOOD =
  'R-1,online,TR,uyghur,anonymous,refugee,teacher,threat_to_relatives,wechat,home_police,relative,2019,TR,CN: Ürümqi,"a note, with a comma'
const ROWS = studyRows(12)

describe('amanat import and export', () => {
  it('gives identical exports for the same rows in CSV, XLSX and JSON, and export → import → export is byte-identical', async () => {
    const exports: Buffer[] = []
    for (const format of ['csv', 'xlsx', 'json'] as const) {
      const workspace = await newWorkspace()
      await importFile(workspace, await writeRows(ROWS, format))
      exports.push(await exportCsv(workspace))
    }
    const [csv, xlsx, json] = exports
    expect(csv?.length).toBeGreaterThan(1000)
    expect(xlsx).toEqual(csv)
    expect(json).toEqual(csv)

    const again = await newWorkspace()
    const exported = join(tempDir(), 'export.csv')
    writeFileSync(exported, csv ?? '')
    await importFile(again, exported)
    expect(await exportCsv(again)).toEqual(csv)
  })

  it('reads a hand-made CSV with a BOM, CRLF, quoted commas and newlines, and a respondent without incidents', async () => {
    const workspace = await newWorkspace()
    const file = join(tempDir(), 'bom.csv')
    const text = [
      REQUIRED_COLUMNS.join(','),
      `${GOOD}\nover two lines"`,
      'R-2,interview,KZ,kazakh,pseudonym,,,,,,,,,,',
      '',
    ].join('\r\n')
    writeFileSync(file, `\uFEFF${text}`)
    expect(await importFile(workspace, file)).toMatchObject({ respondents: 2, written: 2 })
    const exported = (await exportCsv(workspace)).toString('utf8')
    expect(exported).toContain('"a note, with a comma\nover two lines"')
    expect(exported).toMatch(/\r\nR-2,interview,KZ,kazakh,pseudonym,(,)+aggregate,,,\r\n$/)
  })

  it('refuses a file with bad rows, lists every one with its line and reason, and writes nothing', async () => {
    const workspace = await newWorkspace()
    const before = await eventCount(workspace)
    const file = handCsv([
      `${GOOD}"`,
      'R-2,online,TR,uyghur,anonymous,refugee,,threat_to_relativs,wechat,home_police,self,2019,TR,CN,',
      'R-3,online,XX,uyghur,anonymous,refugee,,,,,,,,,',
      ',online,TR,uyghur,anonymous,refugee,,,,,,,,,',
      'R-5,online,TR,uyghur,anonymous,refugee,,death_threat,phone_call,state_security,self,19,TR,CN,',
      'R-6,by_pigeon,TR,uyghur,anonymous,refugee,,,,,,,,,',
    ])
    const result = await run(['import', file, '--workspace', workspace])
    expect(result.code).toBe(1)
    const problems = result.stderr.filter((line) => line.startsWith('line '))
    expect(problems).toHaveLength(5)
    expect(problems[0]).toMatch(
      /^line 3: incident_type: the code threat_to_relativs is not in harassment_types .*did you mean threat_to_relatives\?$/,
    )
    expect(problems[1]).toMatch(/^line 4: residence_country: expected an ISO 3166-1 alpha-2 country code/)
    expect(problems[2]).toMatch(/^line 5: respondent_key: the respondent key is missing/)
    expect(problems[3]).toMatch(/^line 6: year: expected a year as YYYY/)
    expect(problems[4]).toMatch(/^line 7: collection_mode: /)
    expect(result.stderr.at(-1)).toBe(
      'amanat: import.rows_refused: 5 rows are wrong (listed above); nothing was imported.',
    )
    expect(await eventCount(workspace)).toBe(before)
  })

  it('refuses a file that is not UTF-8, naming the line, and writes nothing', async () => {
    const workspace = await newWorkspace()
    const before = await eventCount(workspace)
    const file = join(tempDir(), 'latin1.csv')
    const good = Buffer.from(`${REQUIRED_COLUMNS.join(',')}\r\n${GOOD}"\r\n`, 'utf8')
    writeFileSync(
      file,
      Buffer.concat([
        good,
        Buffer.from('R-2,online,TR,uyghur,anonymous,refugee,Lehrer f\xfcr Musik,,,,,,,,\r\n', 'latin1'),
      ]),
    )
    const result = await run(['import', file, '--workspace', workspace])
    expect(result.code).toBe(1)
    expect(result.stderr.at(-1)).toMatch(/^amanat: import\.bad_encoding: Line 3 is not valid UTF-8/)
    expect(await eventCount(workspace)).toBe(before)
  })

  it('refuses a workbook whose sheet unpacks past what it declares (a zip bomb), clearly, and writes nothing', async () => {
    const workspace = await newWorkspace()
    const before = await eventCount(workspace)
    const parts = partsOf(await encodeCodedRows(ROWS, 'xlsx'))
    const file = join(tempDir(), 'bomb.xlsx')
    writeFileSync(
      file,
      zipOf(
        parts.map((part) => (part.name === 'xl/worksheets/sheet1.xml' ? { ...part, declared: 100 } : part)),
      ),
    )
    const result = await run(['import', file, '--workspace', workspace])
    expect(result.code).toBe(1)
    expect(result.stderr.at(-1)).toMatch(
      /^amanat: import\.bad_xlsx: The file is not an XLSX workbook that can be read: xl\/worksheets\/sheet1\.xml unpacks to more than the archive says\.$/,
    )
    expect(await eventCount(workspace)).toBe(before)
    // The same parts, honestly declared, import.
    writeFileSync(file, zipOf(parts))
    expect((await importFile(workspace, file)).respondents).toBe(12)
  })

  it('refuses rows of one respondent that disagree, and a header with unknown columns', async () => {
    const workspace = await newWorkspace()
    const disagreeing = handCsv([`${GOOD}"`, GOOD.replace(',TR,uyghur', ',DE,uyghur') + '"'])
    const result = await run(['import', disagreeing, '--workspace', workspace])
    expect(result.stderr).toContain(
      "line 3: the respondent's columns differ from their first row (line 2); every row of R-1 must repeat them",
    )
    const file = join(tempDir(), 'header.csv')
    writeFileSync(file, `${REQUIRED_COLUMNS.join(',')},etnicity\r\n`)
    const header = await run(['import', file, '--workspace', workspace])
    expect(header.code).toBe(1)
    expect(header.stderr.at(-1)).toMatch(/import\.bad_header: .*do(es)? not know: "etnicity"/)
  })

  it('appends no event when the same file is imported again; a corrected file updates only the respondents that changed', async () => {
    const workspace = await newWorkspace()
    const file = await writeRows(ROWS, 'csv')
    const first = await importFile(workspace, file)
    expect(first.written).toBe(first.respondents)
    const events = await eventCount(workspace)
    expect(await importFile(workspace, file)).toMatchObject({ written: 0, unchanged: first.respondents })
    expect(await eventCount(workspace)).toBe(events)

    // Correct one respondent (drop an incident) and another (change an occupation).
    const withIncidents = ROWS.filter((row) => row.incident_type !== '')
    const dropped = withIncidents[0]
    const target = ROWS.find((row) => row.respondent_key !== dropped?.respondent_key)?.respondent_key
    const corrected = ROWS.filter((row) => row !== dropped).map((row) =>
      row.respondent_key === target ? { ...row, occupation: 'corrected occupation' } : row,
    )
    const changedKeys = new Set([dropped?.respondent_key, target])
    const rowsOfDropped = ROWS.filter((row) => row.respondent_key === dropped?.respondent_key).length
    const final = rowsOfDropped === 1 ? [...corrected, { ...dropped!, ...EMPTY_INCIDENT_CELLS }] : corrected
    const outcome = await importFile(workspace, await writeRows(final, 'csv', 'corrected.csv'))
    expect(outcome).toMatchObject({
      written: changedKeys.size,
      unchanged: first.respondents - changedKeys.size,
    })
    expect(await eventCount(workspace)).toBe(events + changedKeys.size)
    const exported = (await exportCsv(workspace)).toString('utf8')
    expect(exported).toEqual(Buffer.from(await encodeCodedRows(sortedLike(final), 'csv')).toString('utf8'))
    expect(exported).toContain('corrected occupation')
  })

  it('leaves withdrawn respondents out of every export', async () => {
    const workspace = await newWorkspace()
    const file = handCsv([`${GOOD}"`, 'R-2,interview,KZ,kazakh,pseudonym,,,,,,,,,,'])
    await importFile(workspace, file)
    const withdrawn = join(tempDir(), 'withdrawn.csv')
    writeFileSync(
      withdrawn,
      `${REQUIRED_COLUMNS.join(',')},consent\r\n${GOOD}",withdrawn\r\nR-2,interview,KZ,kazakh,pseudonym,,,,,,,,,,,aggregate\r\n`,
    )
    await importFile(workspace, withdrawn)
    const exported = (await exportCsv(workspace)).toString('utf8')
    expect(exported).not.toContain('R-1')
    expect(exported).toContain('R-2')
    const out = join(tempDir(), 'export.json')
    const json = await ok([
      'export',
      '--workspace',
      workspace,
      '--format',
      'json',
      '--out',
      out,
      '--plaintext',
      '--json',
    ])
    expect(JSON.parse(json.stdout[0] ?? '{}')).toMatchObject({ rows: 1, respondents: 1 })
  })

  it('records every export in the log and never replaces a file', async () => {
    const workspace = await newWorkspace()
    await importFile(workspace, await writeRows(ROWS, 'csv'))
    const before = await eventCount(workspace)
    const out = join(tempDir(), 'sealed.age')
    await ok(['export', '--workspace', workspace, '--format', 'xlsx', '--out', out])
    expect(await eventCount(workspace)).toBe(before + 1)
    const again = await run(['export', '--workspace', workspace, '--format', 'xlsx', '--out', out])
    expect(again.code).toBe(1)
    expect(again.stderr.at(-1)).toMatch(/^amanat: export\.out_exists: /)
  })

  it.runIf(ageCliAvailable())(
    'seals the export so that age -d -i with the analyst identity opens it',
    async () => {
      const workspace = await newWorkspace()
      await importFile(workspace, await writeRows(ROWS, 'csv'))
      const out = join(tempDir(), 'export.csv.age')
      await ok(['export', '--workspace', workspace, '--format', 'csv', '--out', out])
      const sealed = readFileSync(out)
      expect(sealed.subarray(0, 21).toString()).toBe('age-encryption.org/v1')
      expect(sealed.includes(Buffer.from('respondent_key'))).toBe(false)
      const { identity } = await unlockIdentity(
        readFileSync(join(workspace, 'keys', 'analyst.age')),
        TEST_PASSPHRASE,
      )
      const identityFile = join(tempDir(), 'identity.txt')
      writeFileSync(identityFile, `${identity}\n`, { mode: 0o600 })
      const opened = execFileSync('age', ['-d', '-i', identityFile, out])
      expect(opened).toEqual(await exportCsv(workspace))
    },
  )

  describe.runIf(hasPostgres)('with the workspace on PostgreSQL', () => {
    it('imports, skips an unchanged re-import and exports the same bytes as SQLite', async () => {
      const schema = `imp_${Math.random().toString(36).slice(2, 10)}`
      const workspace = await newWorkspace({ url: POSTGRES_URL, schema })
      try {
        const file = await writeRows(ROWS, 'json')
        const first = await importFile(workspace, file)
        expect(await importFile(workspace, file)).toMatchObject({ written: 0, unchanged: first.respondents })
        const sqlite = await newWorkspace()
        await importFile(sqlite, file)
        expect(await exportCsv(workspace)).toEqual(await exportCsv(sqlite))
      } finally {
        const { default: pg } = await import('pg')
        const client = new pg.Client({ connectionString: POSTGRES_URL })
        await client.connect()
        await client.query(`drop schema ${schema} cascade`)
        await client.end()
      }
    })
  })
})

describe('export encoding', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('writes the same XLSX bytes whatever the time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2024-03-01T10:00:00Z'))
    const early = await encodeCodedRows(ROWS, 'xlsx')
    vi.setSystemTime(new Date('2031-11-17T23:59:58Z'))
    const late = await encodeCodedRows(ROWS, 'xlsx')
    expect(late).toEqual(early)
  })

  it('guards CSV cells that a spreadsheet would run as formulas, and the import takes the guard off', async () => {
    const [first] = ROWS
    if (first === undefined) throw new Error('fixture')
    const rows = [{ ...first, occupation: '=HYPERLINK("https://example.org")', incident_type: '' }].map(
      (row) => ({
        ...row,
        ...EMPTY_INCIDENT_CELLS,
      }),
    )
    const csv = Buffer.from(await encodeCodedRows(rows, 'csv')).toString('utf8')
    expect(csv).toContain(`"'=HYPERLINK(""https://example.org"")"`)
    const workspace = await newWorkspace()
    await importFile(workspace, await writeRows(rows, 'csv'))
    expect((await exportCsv(workspace)).toString('utf8')).toEqual(csv)
    expect(EXPORT_COLUMNS).not.toContain('incident_key')
  })
})

/** `rows` in the order an export lists them (respondent key, then cells), withdrawn respondents left out. */
function sortedLike(rows: readonly CodedCells[]): CodedCells[] {
  const text = (row: CodedCells) => JSON.stringify(EXPORT_COLUMNS.map((column) => row[column]))
  return rows
    .filter((row) => row.consent !== 'withdrawn')
    .slice()
    .sort((a, b) =>
      a.respondent_key !== b.respondent_key
        ? a.respondent_key < b.respondent_key
          ? -1
          : 1
        : text(a) < text(b)
          ? -1
          : text(a) > text(b)
            ? 1
            : 0,
    )
}
