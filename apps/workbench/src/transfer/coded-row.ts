import {
  AGE_BANDS,
  assertCode,
  COLLECTION_MODES,
  CONFIDENCE_LEVELS,
  CONSENT_USES,
  CountryCode,
  DISCLOSURE_WISHES,
  GENDERS,
  isAmanatError,
  PartialDate,
  RespondentKey,
  TARGETS,
  type Codebook,
  type Consent,
  type Incident,
  type Place,
  type Respondent,
  type SectionName,
} from '@amanat/domain'
import { z } from 'zod'
import { EXPORT_COLUMNS, RESPONDENT_COLUMNS, type CodedCells } from './coded-columns.ts'

/**
 * One row of a coded-data file, both ways: {@link parseCodedRow} turns its cells into the
 * respondent and the incident they describe, {@link cellsOfRespondent} writes a respondent and
 * their incidents back as rows. The two are inverses on everything the format carries, which is
 * what makes export → import → export give the same bytes.
 */

/** What a row says about its respondent, beyond what the workspace keeps for itself (id, pseudonym, activist, consent day). */
export type RespondentPart = Omit<Respondent, 'id' | 'pseudonym' | 'activist' | 'consent'> & {
  readonly consent: Pick<Consent, 'uses' | 'withdrawn' | 'form'>
}

/** What a row says about its incident, without the ids and codebook the import adds. */
export type IncidentPart = Omit<Incident, 'id' | 'testimonyId' | 'respondentId' | 'relativeId' | 'codebook'>

/** A row that parsed and whose codes are in the codebook. */
export interface CodedRow {
  readonly line: number
  readonly respondent: RespondentPart
  /** The respondent's cells as one string: rows of one respondent must have the same. */
  readonly respondentCells: string
  readonly incident: IncidentPart | null
  readonly incidentKey: string | null
  /** The incident's cells as one string: names an incident that has no key. */
  readonly incidentCells: string
}

/** A row that did not parse: its line, and every reason, in column order. */
export interface RowProblem {
  readonly line: number
  readonly message: string
}

/** Consent when the file has no `consent` column or leaves it empty: counting only. */
export const DEFAULT_CONSENT_USES = ['aggregate'] as const

const empty = <T extends z.ZodType<unknown, string>>(schema: T) =>
  z
    .string()
    .transform((value) => (value === '' ? null : value))
    .pipe(schema.nullable())

const TextCell = (max: number) => z.string().max(max, { error: `longer than ${String(max)} characters` })
const YEAR = /^(19|20)\d{2}$/

/** `CN` or `CN: Ürümqi`, or `: somewhere` when the country is not known. */
const PlaceCell = z.string().transform((value, context): Place | null => {
  if (value === '') return null
  const match = /^([A-Za-z]{2})?\s*(?::\s*(.*))?$/.exec(value)
  const country = match?.[1]
  const locality = match?.[2]?.trim()
  if (match === null || (country === undefined && (locality === undefined || locality === ''))) {
    context.addIssue({
      code: 'custom',
      message: 'expected a country code, optionally with a place: CN or CN: Ürümqi',
    })
    return z.NEVER
  }
  const code = country === undefined ? null : CountryCode.safeParse(country)
  if (code !== null && !code.success) {
    context.addIssue({ code: 'custom', message: code.error.issues[0]?.message ?? 'not a country code' })
    return z.NEVER
  }
  if (locality !== undefined && locality.length > 200) {
    context.addIssue({ code: 'custom', message: 'the place is longer than 200 characters' })
    return z.NEVER
  }
  const place: Place = { country: code === null ? null : code.data }
  return locality === undefined || locality === '' ? place : { ...place, locality }
})

/** At most this many impacts per respondent, as the domain's `Respondent` takes. */
const MAX_IMPACTS = 50

const ImpactsCell = z.string().transform((value, context) => {
  if (value === '') return []
  const items = value
    .split(';')
    .map((item) => item.trim())
    .filter((item) => item !== '')
  if (items.length <= MAX_IMPACTS) return items
  context.addIssue({ code: 'custom', message: `more than ${String(MAX_IMPACTS)} impacts` })
  return z.NEVER
})

const ConsentUses = z.array(z.enum(CONSENT_USES))

const ConsentCell = z.string().transform((value, context) => {
  if (value === '') return { uses: [...DEFAULT_CONSENT_USES], withdrawn: false }
  if (value === 'withdrawn') return { uses: [], withdrawn: true }
  const uses = value.split(';').map((use) => use.trim())
  const parsed = ConsentUses.safeParse(uses)
  if (!parsed.success || new Set(uses).size !== uses.length) {
    context.addIssue({
      code: 'custom',
      message: `expected withdrawn, or uses separated by ";" from ${CONSENT_USES.join(', ')}, each once`,
    })
    return z.NEVER
  }
  return { uses: parsed.data, withdrawn: false }
})

/** The cells of one row, checked for shape; codes are checked against the codebook afterwards. */
const RowSchema = z.object({
  respondent_key: z.string().min(1, { error: 'the respondent key is missing' }).pipe(RespondentKey),
  collection_mode: z.enum(COLLECTION_MODES),
  residence_country: empty(CountryCode),
  ethnicity: empty(z.string()),
  disclosure: z.enum(DISCLOSURE_WISHES),
  status: empty(z.string()),
  occupation: empty(TextCell(200)),
  incident_type: empty(z.string()),
  channel: empty(z.string()),
  perpetrator: empty(z.string()),
  target: empty(z.enum(TARGETS)),
  year: empty(z.string().regex(YEAR, { error: 'expected a year as YYYY between 1900 and 2099' })),
  received_country: empty(CountryCode),
  origin_place: PlaceCell,
  note: empty(TextCell(10_000)),
  gender: empty(z.enum(GENDERS)),
  age_band: empty(z.enum(AGE_BANDS)),
  impacts: ImpactsCell,
  consent: ConsentCell,
  date: empty(
    z
      .string()
      .regex(/^\d{4}-\d{2}(-\d{2})?$/, { error: 'expected a month as YYYY-MM or a day as YYYY-MM-DD' }),
  ),
  confidence: empty(z.enum(CONFIDENCE_LEVELS)),
  received_locality: empty(TextCell(200)),
  incident_key: empty(z.string().max(100, { error: 'longer than 100 characters' })),
})

/** The incident columns: all empty on the one row of a respondent without incidents. */
const INCIDENT_COLUMNS = [
  'channel',
  'perpetrator',
  'target',
  'year',
  'date',
  'received_country',
  'received_locality',
  'origin_place',
  'note',
  'confidence',
  'incident_key',
] as const

/** The cells that name an incident without a key, in the order they are joined. */
const INCIDENT_CELL_COLUMNS = [
  ...INCIDENT_COLUMNS.filter((column) => column !== 'incident_key'),
  'incident_type',
] as const

/**
 * Parses one row: its shape with zod, then every code against `book` (a near-miss is suggested).
 * Returns the row, or one problem listing every reason the row is refused.
 */
export function parseCodedRow(line: number, cells: CodedCells, book: Codebook): CodedRow | RowProblem {
  const reasons: string[] = []
  const parsed = RowSchema.safeParse(cells)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) reasons.push(`${issue.path.join('.')}: ${issue.message}`)
    return { line, message: reasons.join('; ') }
  }
  const row = parsed.data
  const codes = codesOf(book)
  const code = (column: string, section: SectionName, value: string | null) => {
    if (value === null || codes[section].has(value)) return
    try {
      assertCode(book, section, value)
    } catch (error) {
      if (!isAmanatError(error, 'codebook.unknown_code')) throw error
      reasons.push(`${column}: ${error.message}`)
    }
  }
  code('ethnicity', 'ethnicities', row.ethnicity)
  code('status', 'residence_statuses', row.status)
  for (const impact of row.impacts) code('impacts', 'impacts', impact)
  code('incident_type', 'harassment_types', row.incident_type)
  code('channel', 'channels', row.channel)
  code('perpetrator', 'perpetrators', row.perpetrator)

  let incident: IncidentPart | null = null
  if (row.incident_type === null) {
    const given = INCIDENT_COLUMNS.filter((column) => cells[column] !== '')
    if (given.length > 0)
      reasons.push(`incident_type: empty, but the row has incident cells (${given.join(', ')})`)
  } else {
    if (row.target === null) reasons.push('target: expected self or relative for an incident')
    const date = dateOf(row.year, row.date)
    if (typeof date === 'string') reasons.push(date)
    else if (row.target !== null) {
      incident = {
        type: row.incident_type as Incident['type'],
        channel: row.channel as Incident['channel'],
        perpetrator: row.perpetrator as Incident['perpetrator'],
        target: row.target,
        receivedIn:
          row.received_locality === null
            ? { country: row.received_country }
            : { country: row.received_country, locality: row.received_locality },
        originatedIn: row.origin_place ?? { country: null },
        date,
        confidence: row.confidence ?? 'medium',
        note: row.note,
      }
    }
  }
  if (reasons.length > 0) return { line, message: reasons.join('; ') }

  const respondent: RespondentPart = {
    key: row.respondent_key,
    collectionMode: row.collection_mode,
    residenceCountry: row.residence_country,
    ethnicity: row.ethnicity as Respondent['ethnicity'],
    status: row.status as Respondent['status'],
    gender: row.gender,
    ageBand: row.age_band,
    occupation: row.occupation,
    impacts: row.impacts as Respondent['impacts'],
    disclosure: row.disclosure,
    consent: { ...row.consent, form: row.collection_mode === 'interview' ? 'oral' : 'online' },
  }
  return {
    line,
    respondent,
    respondentCells: JSON.stringify(RESPONDENT_COLUMNS.map((column) => cells[column])),
    incident,
    incidentKey: row.incident_key,
    incidentCells: JSON.stringify(INCIDENT_CELL_COLUMNS.map((column) => cells[column])),
  }
}

type CodeSets = Readonly<Record<SectionName, ReadonlySet<string>>>

const codeSets = new WeakMap<Codebook, CodeSets>()

/** Every section's codes as a set, built once per codebook: a million rows check millions of codes. */
function codesOf(book: Codebook): CodeSets {
  let sets = codeSets.get(book)
  if (sets === undefined) {
    const sections = Object.entries(book.sections).map(([section, entries]) => [
      section,
      new Set<string>(entries.map((entry) => entry.code)),
    ])
    sets = Object.fromEntries(sections) as CodeSets
    codeSets.set(book, sets)
  }
  return sets
}

/** A row that did not parse. */
export function isRowProblem(row: CodedRow | RowProblem): row is RowProblem {
  return !('respondent' in row)
}

/** The partial date of `year` and the finer `date`, or the reason they do not fit together. */
function dateOf(year: string | null, date: string | null): PartialDate | string {
  if (date === null) return year === null ? { precision: 'unknown' } : { precision: 'year', value: year }
  if (year === null || !date.startsWith(`${year}-`))
    return 'date: must fall in the year the year column gives'
  const parsed = PartialDate.safeParse({ precision: date.length === 7 ? 'month' : 'day', value: date })
  return parsed.success ? parsed.data : `date: ${parsed.error.issues[0]?.message ?? 'not a date'}`
}

/** The incident cells of a respondent's row when they have no incident. */
export const EMPTY_INCIDENT_CELLS = {
  incident_type: '',
  channel: '',
  perpetrator: '',
  target: '',
  year: '',
  date: '',
  received_country: '',
  received_locality: '',
  origin_place: '',
  note: '',
  confidence: '',
  incident_key: '',
} as const

/**
 * The rows that describe `respondent` and `incidents`: one per incident, in the order of their
 * cells (so the file does not depend on ids), or one with empty incident cells when there are none.
 */
export function cellsOfRespondent(respondent: Respondent, incidents: readonly Incident[]): CodedCells[] {
  const person = {
    respondent_key: respondent.key,
    collection_mode: respondent.collectionMode,
    residence_country: respondent.residenceCountry ?? '',
    ethnicity: respondent.ethnicity ?? '',
    disclosure: respondent.disclosure,
    status: respondent.status ?? '',
    occupation: respondent.occupation ?? '',
    gender: respondent.gender ?? '',
    age_band: respondent.ageBand ?? '',
    impacts: respondent.impacts.join(';'),
    consent: respondent.consent.withdrawn ? 'withdrawn' : respondent.consent.uses.join(';'),
  }
  if (incidents.length === 0) return [{ ...person, ...EMPTY_INCIDENT_CELLS }]
  const rows = incidents.map((incident) => ({
    ...person,
    ...EMPTY_INCIDENT_CELLS,
    incident_type: incident.type,
    channel: incident.channel ?? '',
    perpetrator: incident.perpetrator ?? '',
    target: incident.target,
    year: incident.date.precision === 'unknown' ? '' : incident.date.value.slice(0, 4),
    date: incident.date.precision === 'month' || incident.date.precision === 'day' ? incident.date.value : '',
    received_country: incident.receivedIn.country ?? '',
    received_locality: incident.receivedIn.locality ?? '',
    origin_place: placeCell(incident.originatedIn),
    note: incident.note ?? '',
    confidence: incident.confidence,
  }))
  const order = (row: CodedCells) => JSON.stringify(EXPORT_COLUMNS.map((column) => row[column]))
  return rows.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
}

function placeCell(place: Place): string {
  if (place.locality === undefined) return place.country ?? ''
  return `${place.country ?? ''}: ${place.locality}`
}
