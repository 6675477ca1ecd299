import type { WorkspaceStore } from '@amanat/database'
import { CONSENT_USES, integrityError, JsonValue } from '@amanat/domain'
import { z } from 'zod'
import { facetTerms } from './filters.ts'
import { indexTerms } from './tokenise.ts'

/**
 * What the search index holds for one testimony, read from the store's projection tables: its
 * free text (narratives, translation, free-text answers, and the incident notes, relative notes
 * and perpetrator identifiers coded from it) and the facets the filters match (facets.ts). One
 * document per testimony; a respondent's documents are always replaced together, so a change to
 * the respondent (consent, a new incident) reaches every one of their testimonies.
 */
export interface IndexDocument {
  readonly respondentId: string
  readonly respondentNo: number
  readonly testimonyId: string
  /** The index terms of every text, space-separated (tokenise.ts). */
  readonly body: string
  readonly facets: string
  /** UTF-8 bytes of the text indexed: what the index size is measured against. */
  readonly textBytes: number
}

/** One piece of a testimony's text and where it came from, for snippets. */
export interface DocumentText {
  readonly field: 'narrative' | 'translation' | 'answer' | 'incident_note' | 'relative_note' | 'identifier'
  readonly text: string
}

const TextOnly = z.object({ text: z.string() }).loose()
const Narratives = z.array(TextOnly)
const Translation = TextOnly.nullable()
const Answers = z.record(z.string(), JsonValue)
const Strings = z.array(z.string())

/** The rows one respondent's documents are built from. */
export interface RespondentRows {
  respondent: RespondentFacetRow | undefined
  readonly testimonies: TestimonyTextRow[]
  readonly incidents: IncidentRow[]
  readonly relatives: RelativeRow[]
  readonly identifiers: IdentifierRow[]
}

interface RespondentFacetRow {
  readonly respondent_no: number
  readonly collection_mode: string
  readonly residence_country: string | null
  readonly ethnicity: string | null
  readonly status: string | null
  readonly impacts: string
  readonly consent_uses: string
  readonly consent_withdrawn: number
}
interface TestimonyTextRow {
  readonly respondent_no: number
  readonly id: string
  readonly respondent_id: string
  readonly answers: string
  readonly narratives: string
  readonly translation: string | null
}
interface IncidentRow {
  readonly respondent_no: number
  readonly testimony_id: string
  readonly type: string
  readonly channel: string | null
  readonly perpetrator: string | null
  readonly received_country: string | null
  readonly origin_country: string | null
  readonly year: number | null
  readonly note: string | null
}
interface RelativeRow {
  readonly respondent_no: number
  readonly source_testimony_id: string | null
  readonly relation: string
  readonly status: string
  readonly note: string | null
}
interface IdentifierRow {
  readonly respondent_no: number
  readonly source_testimony_id: string | null
  readonly value: string
}

/**
 * Reads the rows of the respondents numbered `numbers` (at most a few thousand: one `in` list per
 * table, each served by the tables' primary keys, which start with `respondent_no`).
 */
export async function loadRespondents(
  store: WorkspaceStore,
  numbers: readonly number[],
): Promise<Map<number, RespondentRows>> {
  const byNo = new Map<number, RespondentRows>()
  if (numbers.length === 0) return byNo
  const db = store.db
  const [respondents, testimonies, incidents, relatives, identifiers] = await Promise.all([
    db
      .selectFrom('respondents')
      .select(['respondent_no', 'collection_mode', 'residence_country', 'ethnicity', 'status', 'impacts', 'consent_uses', 'consent_withdrawn'])
      .where('respondent_no', 'in', numbers)
      .execute(),
    db
      .selectFrom('testimonies')
      .select(['respondent_no', 'id', 'respondent_id', 'answers', 'narratives', 'translation'])
      .where('respondent_no', 'in', numbers)
      .orderBy('respondent_no')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('incidents')
      .select(['respondent_no', 'testimony_id', 'type', 'channel', 'perpetrator', 'received_country', 'origin_country', 'year', 'note'])
      .where('respondent_no', 'in', numbers)
      .execute(),
    db
      .selectFrom('relatives')
      .select(['respondent_no', 'source_testimony_id', 'relation', 'status', 'note'])
      .where('respondent_no', 'in', numbers)
      .execute(),
    db
      .selectFrom('identifiers')
      .select(['respondent_no', 'source_testimony_id', 'value'])
      .where('respondent_no', 'in', numbers)
      .execute(),
  ])
  const rowsOf = (no: number): RespondentRows => {
    let rows = byNo.get(no)
    if (rows === undefined) {
      rows = { respondent: undefined, testimonies: [], incidents: [], relatives: [], identifiers: [] }
      byNo.set(no, rows)
    }
    return rows
  }
  for (const row of respondents) rowsOf(row.respondent_no).respondent = row
  for (const row of testimonies) rowsOf(row.respondent_no).testimonies.push(row)
  for (const row of incidents) rowsOf(row.respondent_no).incidents.push(row)
  for (const row of relatives) rowsOf(row.respondent_no).relatives.push(row)
  for (const row of identifiers) rowsOf(row.respondent_no).identifiers.push(row)
  return byNo
}

/** The texts of one testimony, in reading order: narratives, translation, answers, then what was coded from it. */
export function textsOf(rows: RespondentRows, testimony: TestimonyTextRow): DocumentText[] {
  const texts: DocumentText[] = []
  for (const narrative of parseColumn(Narratives, testimony.narratives)) texts.push({ field: 'narrative', text: narrative.text })
  const translation = testimony.translation === null ? null : parseColumn(Translation, testimony.translation)
  if (translation !== null) texts.push({ field: 'translation', text: translation.text })
  for (const text of stringsIn(parseColumn(Answers, testimony.answers))) texts.push({ field: 'answer', text })
  for (const incident of rows.incidents) {
    if (incident.testimony_id === testimony.id && incident.note !== null) texts.push({ field: 'incident_note', text: incident.note })
  }
  for (const relative of rows.relatives) {
    if (relative.source_testimony_id === testimony.id && relative.note !== null) texts.push({ field: 'relative_note', text: relative.note })
  }
  for (const identifier of rows.identifiers) {
    if (identifier.source_testimony_id === testimony.id) texts.push({ field: 'identifier', text: identifier.value })
  }
  return texts
}

/** The documents of every testimony in `rows`. */
export function documentsOf(rows: RespondentRows): IndexDocument[] {
  const respondentFacets = respondentFacetsOf(rows)
  return rows.testimonies.map((testimony) => {
    const texts = textsOf(rows, testimony).map((t) => t.text)
    const incidents = rows.incidents.filter((i) => i.testimony_id === testimony.id)
    const facets = facetTerms({
      ...respondentFacets,
      codes: [...respondentFacets.codes, ...incidents.flatMap((i) => [i.type, i.channel, i.perpetrator])],
      countries: [...respondentFacets.countries, ...incidents.flatMap((i) => [i.received_country, i.origin_country])],
      years: incidents.map((i) => i.year),
    })
    let textBytes = 0
    for (const text of texts) textBytes += Buffer.byteLength(text)
    return {
      respondentId: testimony.respondent_id,
      respondentNo: testimony.respondent_no,
      testimonyId: testimony.id,
      body: indexTerms(texts.join('\n')),
      facets,
      textBytes,
    }
  })
}

function respondentFacetsOf(rows: RespondentRows) {
  const respondent = rows.respondent
  const relativeCodes = rows.relatives.flatMap((r) => [r.relation, r.status])
  if (respondent === undefined) return { mode: null, consent: [], codes: relativeCodes, countries: [] }
  const uses = parseColumn(Strings, respondent.consent_uses)
  return {
    mode: respondent.collection_mode,
    // What the respondent allows now: withdrawal overrides every use (domain `mayUse`).
    consent: respondent.consent_withdrawn === 1 ? ['withdrawn'] : CONSENT_USES.filter((use) => uses.includes(use)),
    codes: [...parseColumn(Strings, respondent.impacts), respondent.ethnicity, respondent.status, ...relativeCodes],
    countries: [respondent.residence_country],
  }
}

/** Every string in a JSON value (free-text answers; choice answers are codes and cost little). */
function stringsIn(value: JsonValue): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(stringsIn)
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn)
  return []
}

function parseColumn<T>(schema: z.ZodType<T>, json: string): T {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    value = undefined
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw integrityError('search.row_invalid', 'A testimony row in the workspace does not have the expected shape.')
  return parsed.data
}
