import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  AGE_BANDS,
  COLLECTION_MODES,
  CONFIDENCE_LEVELS,
  CONSENT_USES,
  DISCLOSURE_WISHES,
  extendCodebook,
  GENDERS,
  TARGETS,
  type SectionName,
} from '@amanat/domain'
import { generateStudy } from '@amanat/synthetic'
import { stringify } from 'csv-stringify/sync'
import fc from 'fast-check'
import { sql } from 'kysely'
import { eraseRespondent } from '@amanat/database'
import { afterEach, describe, expect, it } from 'vitest'
import { PROPERTY_RUNS, sized } from '../../../../tools/test-support/profile.ts'
import {
  EXPORT_COLUMNS,
  RESPONDENT_COLUMNS,
  type CodedCells,
  type CodedColumn,
} from '../../src/transfer/coded-columns.ts'
import { cellsOfRespondent } from '../../src/transfer/coded-row.ts'
import { guardFormula } from '../../src/files/formula-guard.ts'
import { importCodedData } from '../../src/transfer/import-coded-data.ts'
import { createWorkspace, type Workspace } from '../../src/workspace/workspace.ts'
import { TEST_BACKUP_PASSPHRASE, TEST_PASSPHRASE, tempDir } from '../support.ts'
import { CODEBOOK, studyRows } from './support.ts'

/**
 * The import's passes on a workspace opened in-process: the check of keys the workspace already
 * holds, batches of a thousand respondents compared and written, and the promise the write pass
 * relies on, that a row the parser accepts always makes an event the store accepts.
 */

const open: Workspace[] = []
afterEach(async () => {
  for (const workspace of open.splice(0)) await workspace.close()
})

async function workspace(): Promise<Workspace> {
  const created = await createWorkspace({
    dir: join(tempDir(), 'ws'),
    name: 'import passes',
    passphrase: TEST_PASSPHRASE,
    backupPassphrase: TEST_BACKUP_PASSPHRASE,
    analystLabel: 'tester',
    codebook: CODEBOOK,
    testOnly: true,
  })
  open.push(created)
  return created
}

/** A CSV of `rows` with every column, `incident_key` included (which exports leave out). */
function csvOf(rows: readonly CodedCells[]): string {
  const columns = [...EXPORT_COLUMNS, 'incident_key'] as const
  const file = join(tempDir(), 'rows.csv')
  writeFileSync(file, stringify([columns, ...rows.map((row) => columns.map((c) => guardFormula(row[c])))]))
  return file
}

async function eventCount(target: Workspace): Promise<number> {
  const { count } = await target.store.db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow()
  return Number(count)
}

describe('amanat import, pass by pass', () => {
  it('refuses a key held by a respondent who did not come from an import, or by two, and writes nothing', async () => {
    const target = await workspace()
    const [told, twice, again, fresh] = [
      ...generateStudy({ seed: 'import-passes', respondents: 4, codebook: CODEBOOK }),
    ]
    if (told === undefined || twice === undefined || again === undefined || fresh === undefined)
      throw new Error('the study is short')
    await target.store.appendBatch(target.analyst.id, [
      told,
      twice,
      { ...again, respondent: { ...again.respondent, key: twice.respondent.key } },
    ])
    const before = await eventCount(target)
    const rows = [told, twice, fresh].map((body) => cellsOfRespondent(body.respondent, body.incidents))
    const outcome = await importCodedData(target, { path: csvOf(rows.flat()), format: 'csv' })

    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.problems.map((p) => p.line)).toEqual([2, 2 + (rows[0]?.length ?? 0)])
    expect(outcome.problems[0]?.message).toContain('came from a questionnaire or an interview')
    expect(outcome.problems[1]?.message).toContain('is held by 2 respondents')
    expect(await eventCount(target)).toBe(before)
  })

  it('refuses to bring back a respondent the workspace erased, before it writes anything', async () => {
    const target = await workspace()
    const bodies = [...generateStudy({ seed: 'import-erased', respondents: 3, codebook: CODEBOOK })]
    const rows = bodies.map((body) => cellsOfRespondent(body.respondent, body.incidents))
    const file = csvOf(rows.flat())
    expect(await importCodedData(target, { path: file, format: 'csv' })).toMatchObject({
      ok: true,
      written: 3,
    })
    const key = rows[1]?.[0]?.respondent_key ?? ''
    const [erased] = await target.store.db
      .selectFrom('respondents')
      .select('id')
      .where('key', '=', key)
      .execute()
    if (erased === undefined) throw new Error('expected the imported respondent')
    await eraseRespondent(target.store, target.analyst.id, erased.id)
    const before = await eventCount(target)

    // The same file again: the erased respondent's rows are refused by line, and nothing is written.
    const again = await importCodedData(target, { path: file, format: 'csv' })
    expect(again.ok).toBe(false)
    if (again.ok) return
    expect(again.problems.map((p) => p.line)).toEqual([2 + (rows[0]?.length ?? 0)])
    expect(again.problems[0]?.message).toContain('was erased from this workspace')
    expect(await eventCount(target)).toBe(before)
    expect(await target.store.respondentNo(erased.id)).toBeNull()
  })

  it('compares and writes across batches: every respondent once, then only the changed ones', async () => {
    const target = await workspace()
    const base = await eventCount(target)
    const respondents = sized(1_500, 5_000)
    const bodies = [...generateStudy({ seed: 'import-batches', respondents, codebook: CODEBOOK })]
    const rows = bodies.map((body) => cellsOfRespondent(body.respondent, body.incidents))
    // The first import fills an empty workspace as a bulk load (docs/decisions/0021); the others do not.
    const first = await importCodedData(target, { path: csvOf(rows.flat()), format: 'csv', bulkFrom: 1_000 })
    expect(first).toMatchObject({ ok: true, respondents, written: respondents, unchanged: 0 })
    const deferred = await sql<{ n: number }>`select count(*) as n from deferred_indexes`.execute(
      target.store.db,
    )
    expect(Number(deferred.rows[0]?.n)).toBe(0)
    const keyed = await target.store.db
      .selectFrom('respondents')
      .select('respondent_no')
      .where('key', '=', rows[0]?.[0]?.respondent_key ?? '')
      .execute()
    expect(keyed).toHaveLength(1)

    // One change in the first batch of a thousand, one in the last.
    const changed = rows.map((cells, i) =>
      i === 0 || i === respondents - 1 ? cells.map((row) => ({ ...row, occupation: 'changed' })) : cells,
    )
    const second = await importCodedData(target, { path: csvOf(changed.flat()), format: 'csv' })
    expect(second).toMatchObject({ ok: true, written: 2, unchanged: respondents - 2 })
    const third = await importCodedData(target, { path: csvOf(changed.flat()), format: 'csv' })
    expect(third).toMatchObject({ ok: true, written: 0, unchanged: respondents })
    expect(await eventCount(target)).toBe(base + respondents + 2)
  })

  it('keeps identical rows as separate incidents, and refuses an incident_key used twice by one respondent', async () => {
    const target = await workspace()
    const [a, b] = studyRows(2, 'import-copies').filter((row) => row.incident_type !== '')
    if (a === undefined || b === undefined) throw new Error('the study has too few incidents')
    const other = { ...b, respondent_key: 'R-OTHER' }
    const rows = [a, a, a, { ...b, ...respondentOf(a), incident_key: 'k1' }]
    const keyed = [...rows, { ...other, incident_key: 'k1' }]
    const file = csvOf(keyed)
    expect(await importCodedData(target, { path: file, format: 'csv' })).toMatchObject({
      ok: true,
      written: 2,
    })
    const incidents = await target.store.db.selectFrom('incidents').select('id').execute()
    expect(new Set(incidents.map((i) => i.id)).size).toBe(5)
    expect(await importCodedData(target, { path: file, format: 'csv' })).toMatchObject({
      ok: true,
      written: 0,
    })

    const twice = await importCodedData(target, {
      path: csvOf([...keyed, { ...a, incident_key: 'k1' }]),
      format: 'csv',
    })
    expect(twice).toEqual({
      ok: false,
      unit: 'line',
      problems: [{ line: 7, message: `incident_key: used twice for ${a.respondent_key} (also line 5)` }],
    })
  })

  it('checks and records codes under the codebook version in force, after a recode adopted a newer one', async () => {
    const target = await workspace()
    const newer = extendCodebook(
      CODEBOOK,
      'extends: amanat-default@1.0.0\nid: org\nversion: 1.0.0\nsections:\n  harassment_types:\n    - code: threat_to_family\n      labels: { en: Threat to family, ug: x, zh: x, tr: x }\n',
    )
    await target.store.append('system', { kind: 'codebook.adopted', codebook: newer })
    const [row] = studyRows(1, 'import-recoded').filter((r) => r.incident_type !== '')
    if (row === undefined) throw new Error('the study has too few incidents')
    // A code only the newer version has: refused as unknown when checked against the version
    // workspace.json named at creation.
    const outcome = await importCodedData(target, {
      path: csvOf([{ ...row, incident_type: 'threat_to_family' }]),
      format: 'csv',
    })
    expect(outcome).toMatchObject({ ok: true, written: 1 })
    const incidents = await target.store.db.selectFrom('incidents').select(['type', 'codebook']).execute()
    expect(incidents).toEqual([{ type: 'threat_to_family', codebook: 'org@1.0.0' }])
  })

  it('writes every row it accepts: the store never refuses an event made from accepted rows', async () => {
    const target = await workspace()
    // Always tried: a respondent past the domain's limit of fifty impacts.
    const [studyRow] = studyRows(1, 'import-limits')
    if (studyRow === undefined) throw new Error('the study is empty')
    let accepted = 0
    await fc.assert(
      fc.asyncProperty(fc.array(codedRow(), { minLength: 1, maxLength: 2 }), async (rows) => {
        const outcome = await importCodedData(target, { path: csvOf(rows), format: 'csv' })
        if (outcome.ok) accepted++
        else expect(outcome.problems.length).toBeGreaterThan(0)
      }),
      {
        numRuns: PROPERTY_RUNS,
        examples: [
          [
            [
              {
                ...studyRow,
                impacts: Array.from({ length: 51 }, (_, i) => codes('impacts')[i % 5]).join(';'),
              },
            ],
          ],
        ],
      },
    )
    // The generator is biased to valid cells: a run where nothing was accepted tested nothing.
    expect(accepted).toBeGreaterThan(0)
  })
})

/** The respondent's cells of `row`, to give another row the same respondent. */
function respondentOf(row: CodedCells): Partial<CodedCells> {
  return Object.fromEntries(RESPONDENT_COLUMNS.map((column) => [column, row[column]]))
}

const codes = (section: SectionName) => CODEBOOK.sections[section].map((entry) => entry.code)
const text = (max: number) => fc.string({ maxLength: max })
const long = (length: number) => fc.constant('x'.repeat(length))
const optional = (valid: fc.Arbitrary<string>) => fc.oneof(fc.constant(''), valid)
const country = fc.constantFrom('TR', 'CN', 'DE', 'KZ')
const impacts = (min: number, max: number) =>
  fc
    .array(fc.constantFrom(...codes('impacts')), { minLength: min, maxLength: max })
    .map((list) => list.join(';'))

/** Per column: cells a valid row has, and cells at or past the limits of what the parser takes. */
const COLUMNS: Record<CodedColumn, { valid: fc.Arbitrary<string>; edge: fc.Arbitrary<string> }> = {
  respondent_key: {
    // Mostly new keys (a file is refused when one key's rows disagree), some already imported.
    valid: fc.oneof(
      fc.constantFrom('R-1', 'R-2'),
      fc.nat().map((n) => `R-${String(n)}`),
      fc.nat().map((n) => `R-${String(n)}`),
    ),
    edge: fc.oneof(text(5), long(101)),
  },
  collection_mode: { valid: fc.constantFrom(...COLLECTION_MODES), edge: text(3) },
  residence_country: { valid: optional(country), edge: fc.constantFrom('XX', 'tr', 'TUR') },
  ethnicity: { valid: optional(fc.constantFrom(...codes('ethnicities'))), edge: text(8) },
  disclosure: { valid: fc.constantFrom(...DISCLOSURE_WISHES), edge: text(3) },
  status: { valid: optional(fc.constantFrom(...codes('residence_statuses'))), edge: text(8) },
  occupation: { valid: optional(text(20)), edge: fc.oneof(long(200), long(201), fc.constant('  ')) },
  incident_type: {
    valid: fc.constantFrom(...codes('harassment_types')),
    edge: fc.oneof(fc.constant(''), text(8)),
  },
  channel: { valid: optional(fc.constantFrom(...codes('channels'))), edge: text(8) },
  perpetrator: { valid: optional(fc.constantFrom(...codes('perpetrators'))), edge: text(8) },
  target: { valid: fc.constantFrom(...TARGETS), edge: fc.constant('') },
  year: { valid: optional(fc.constantFrom('2019', '2020')), edge: fc.constantFrom('1899', '2100', '20') },
  received_country: { valid: optional(country), edge: fc.constant('XX') },
  origin_place: {
    valid: optional(fc.constantFrom('CN', 'CN: Ürümqi', ': somewhere', 'CN:  spaced  ')),
    edge: fc.oneof(fc.constantFrom('CN:', ' : ', ':', `CN: ${'x'.repeat(201)}`), text(10)),
  },
  note: { valid: optional(text(30)), edge: fc.oneof(long(10_000), long(10_001)) },
  gender: { valid: optional(fc.constantFrom(...GENDERS)), edge: text(3) },
  age_band: { valid: optional(fc.constantFrom(...AGE_BANDS)), edge: text(3) },
  impacts: {
    valid: impacts(0, 3),
    edge: fc.oneof(impacts(49, 52), fc.constantFrom(';', ' ; ;', 'fear;;fear')),
  },
  consent: {
    valid: optional(fc.subarray([...CONSENT_USES], { minLength: 1 }).map((uses) => uses.join(';'))),
    edge: fc.constantFrom('withdrawn', 'aggregate;aggregate', 'everything'),
  },
  date: {
    valid: fc.constant(''),
    edge: fc.constantFrom('2019-02', '2019-02-29', '2020-02-29', '2019-13', '2020-04-31'),
  },
  confidence: { valid: optional(fc.constantFrom(...CONFIDENCE_LEVELS)), edge: text(3) },
  received_locality: { valid: optional(text(20)), edge: fc.oneof(long(200), long(201), fc.constant('   ')) },
  incident_key: { valid: fc.constant(''), edge: fc.oneof(text(4), long(101)) },
}

const NAMES = Object.keys(COLUMNS) as CodedColumn[]

/** A valid row with up to two of its cells replaced by cells at or past the limits. */
function codedRow(): fc.Arbitrary<CodedCells> {
  const record = (pick: 'valid' | 'edge') =>
    fc.record(
      Object.fromEntries(NAMES.map((name) => [name, COLUMNS[name][pick]])) as Record<
        CodedColumn,
        fc.Arbitrary<string>
      >,
    )
  return fc
    .tuple(record('valid'), record('edge'), fc.subarray(NAMES, { maxLength: 2 }))
    .map(([valid, edge, swapped]) => ({
      ...valid,
      ...Object.fromEntries(swapped.map((name) => [name, edge[name]])),
    }))
}
