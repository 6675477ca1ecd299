import { basename } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { incidentFromRow, respondentFromRow, type WorkspaceEventInput } from '@amanat/database'
import { codebookRef, type CodebookRef, type Incident, type Respondent, type Testimony } from '@amanat/domain'
import type { Progress } from '../cli/terminal.ts'
import { utcToday } from '../intake/days.ts'
import { currentCodebook } from '../workspace/current-codebook.ts'
import type { Workspace } from '../workspace/workspace.ts'
import { isRowProblem, parseCodedRow, type RowProblem } from './coded-row.ts'
import {
  ImportGrouping,
  importedRespondentId,
  importedTestimonyId,
  type RespondentDraft,
} from './import-grouping.ts'
import { LINE_UNIT, readCodedRows, type CodedFormat } from './row-sources.ts'

/**
 * `amanat import`: a coded-data file into the workspace, all or nothing.
 *
 * Three passes. Read: stream the file, parse every row (zod, then the codebook) and gather the
 * respondents, collecting every problem. Check: look up which of the file's keys the workspace
 * already holds, a batch of keys at a time, refusing a key that is not the import's to replace.
 * Any problem so far means nothing is written. Write: a thousand respondents at a time, compare
 * those the workspace holds with what the file says, and append one `testimony.imported` event
 * per new or changed respondent in one transaction. A respondent the workspace does not hold is
 * never compared, and only one batch of events is in memory at a time. A crash during the write
 * pass leaves whole respondents written (each event is atomic); importing the file again
 * finishes the job, because what is already there compares equal and is skipped.
 */
export type ImportOutcome =
  | {
      readonly ok: true
      readonly rows: number
      readonly respondents: number
      readonly written: number
      readonly unchanged: number
    }
  | { readonly ok: false; readonly unit: string; readonly problems: readonly RowProblem[] }

export interface ImportOptions {
  readonly path: string
  readonly format: CodedFormat
  /** Progress over the write pass (respondents compared and written). */
  readonly progress?: (total: number) => Progress
  /** The day recorded for new testimonies and consents; today (UTC) by default. */
  readonly today?: string
  /**
   * An import of at least this many respondents, and of more than the workspace holds, runs as
   * the store's bulk load: secondary indexes set aside and built once at the end (docs/decisions/
   * 0021). {@link BULK_IMPORT} by default.
   */
  readonly bulkFrom?: number
}

/** Respondents from which an import into a smaller workspace loads in bulk. */
export const BULK_IMPORT = 5_000

/** Respondents looked up per query, and compared and written per transaction. */
const BATCH = 1_000

export async function importCodedData(workspace: Workspace, options: ImportOptions): Promise<ImportOutcome> {
  const book = await currentCodebook(workspace.store)
  const unit = LINE_UNIT[options.format]
  const problems: RowProblem[] = []
  const grouping = new ImportGrouping()
  let rows = 0
  for await (const source of readCodedRows(options.path, options.format)) {
    rows++
    if (source.problem !== undefined) {
      problems.push({ line: source.line, message: source.problem })
      continue
    }
    const row = parseCodedRow(source.line, source.cells, book)
    const problem = isRowProblem(row) ? row : grouping.add(row)
    if (problem !== null) problems.push(problem)
  }
  if (problems.length > 0) return { ok: false, unit, problems }

  const drafts = grouping.finish()
  const respondents = drafts.length
  const held = new Map<string, number>()
  for (let start = 0; start < drafts.length; start += BATCH)
    problems.push(...(await checkKeys(workspace, drafts.slice(start, start + BATCH), held)))
  if (problems.length > 0) return { ok: false, unit, problems: problems.sort((a, b) => a.line - b.line) }

  const context: BodyContext = {
    codebook: codebookRef(book),
    label: basename(options.path).slice(0, 200),
    today: options.today ?? utcToday(),
  }
  const progress = options.progress?.(respondents)
  let written = 0
  const write = async () => {
    // Taken off the list as they are written, so memory shrinks as the pass goes on.
    while (drafts.length > 0) {
      const writes = await eventsFor(workspace, drafts.splice(0, BATCH), held, context)
      if (writes.length > 0) await workspace.store.appendBatch(workspace.analyst.id, writes)
      written += writes.length
      progress?.tick(respondents - drafts.length)
    }
  }
  const bulk = respondents >= (options.bulkFrom ?? BULK_IMPORT) && respondents > (await respondentCount(workspace))
  await (bulk ? workspace.store.bulkLoad(write) : write())
  progress?.done()
  return { ok: true, rows, respondents, written, unchanged: respondents - written }
}

/** Respondents the workspace holds (one count, not `store.counts()`, which counts every table). */
async function respondentCount(workspace: Workspace): Promise<number> {
  const row = await workspace.store.db
    .selectFrom('respondents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * The problems that stop the import among `drafts`' keys: a key of a respondent the workspace
 * erased, a key held by more than one respondent, or by one whose testimony did not come from an
 * import. Records in `held` the respondent number
 * of each key the import will compare and replace.
 */
async function checkKeys(
  workspace: Workspace,
  drafts: readonly RespondentDraft[],
  held: Map<string, number>,
): Promise<RowProblem[]> {
  const db = workspace.store.db
  // An erased respondent is never brought back, not even by importing the same file again.
  const erased = new Set(
    (
      await db
        .selectFrom('erased_respondents')
        .select('respondent_id')
        .where(
          'respondent_id',
          'in',
          drafts.map((d) => importedRespondentId(d.key)),
        )
        .execute()
    ).map((row) => row.respondent_id),
  )
  const gone: RowProblem[] = drafts
    .filter((draft) => erased.has(importedRespondentId(draft.key)))
    .map((draft) => ({
      line: draft.firstLine,
      message: `respondent_key: ${draft.key} was erased from this workspace, and an erased respondent is never brought back; leave their rows out of the file`,
    }))
  const found = await db
    .selectFrom('respondents')
    .select(['key', 'respondent_no'])
    .where(
      'key',
      'in',
      drafts.map((d) => d.key),
    )
    .execute()
  if (found.length === 0) return gone
  const byKey = new Map<string, number[]>()
  for (const row of found) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row.respondent_no])
  const testimonies = await db
    .selectFrom('testimonies')
    .select(['respondent_no', 'id'])
    .where(
      'respondent_no',
      'in',
      found.map((row) => row.respondent_no),
    )
    .execute()
  const testimonyIds = new Map<number, string[]>()
  for (const t of testimonies)
    testimonyIds.set(t.respondent_no, [...(testimonyIds.get(t.respondent_no) ?? []), t.id])
  const problems: RowProblem[] = [...gone]
  for (const draft of drafts) {
    const numbers = byKey.get(draft.key) ?? []
    const [no] = numbers
    if (no === undefined) continue
    if (numbers.length > 1) {
      problems.push({
        line: draft.firstLine,
        message: `respondent_key: ${draft.key} is held by ${String(numbers.length)} respondents in this workspace; give them distinct keys first`,
      })
    } else if ((testimonyIds.get(no) ?? []).some((id) => id !== importedTestimonyId(draft.key))) {
      problems.push({
        line: draft.firstLine,
        message: `respondent_key: ${draft.key} is a respondent whose testimony came from a questionnaire or an interview; an import only replaces what an import brought in, so give the file's respondent another key`,
      })
    } else held.set(draft.key, no)
  }
  return problems
}

interface BodyContext {
  readonly codebook: CodebookRef
  readonly label: string
  readonly today: string
}

/** What the workspace holds for a respondent an import brought in before. */
interface Existing {
  readonly respondent: Respondent
  readonly receivedOn: string | null
  readonly incidents: readonly Incident[]
}

/** The events that bring the workspace to what `drafts` say: one per new or changed respondent. */
async function eventsFor(
  workspace: Workspace,
  drafts: readonly RespondentDraft[],
  held: ReadonlyMap<string, number>,
  context: BodyContext,
): Promise<WorkspaceEventInput[]> {
  const numbers = drafts.flatMap((draft) => held.get(draft.key) ?? [])
  const existing = numbers.length === 0 ? new Map<number, Existing>() : await heldRecords(workspace, numbers)
  const events: WorkspaceEventInput[] = []
  for (const draft of drafts) {
    const no = held.get(draft.key)
    const event = bodyFor(draft, no === undefined ? null : (existing.get(no) ?? null), context)
    if (event !== null) events.push(event)
  }
  return events
}

/** The respondents numbered `numbers`, with their imported testimony's day and their incidents. */
async function heldRecords(workspace: Workspace, numbers: readonly number[]): Promise<Map<number, Existing>> {
  const db = workspace.store.db
  const [respondents, testimonies, incidents] = await Promise.all([
    db.selectFrom('respondents').selectAll().where('respondent_no', 'in', numbers).execute(),
    db
      .selectFrom('testimonies')
      .select(['respondent_no', 'received_on'])
      .where('respondent_no', 'in', numbers)
      .execute(),
    db.selectFrom('incidents').selectAll().where('respondent_no', 'in', numbers).execute(),
  ])
  const receivedOn = new Map(testimonies.map((t) => [t.respondent_no, t.received_on]))
  const held = new Map<number, { respondent: Respondent; receivedOn: string | null; incidents: Incident[] }>()
  for (const row of respondents) {
    held.set(row.respondent_no, {
      respondent: respondentFromRow(row),
      receivedOn: receivedOn.get(row.respondent_no) ?? null,
      incidents: [],
    })
  }
  for (const row of incidents) held.get(row.respondent_no)?.incidents.push(incidentFromRow(row))
  return held
}

/**
 * The event that brings the workspace to what `draft` says, or null when it already says it.
 * The body is not parsed here: the rows it comes from were, and the store parses every event
 * at its boundary (test/transfer/import-passes.test.ts checks that accepted rows always make
 * bodies the store takes). Records are built field by field, not by spreading the row's parts:
 * at a million rows, spreading cost more than the rest of the comparison.
 */
function bodyFor(
  draft: RespondentDraft,
  existing: Existing | null,
  context: BodyContext,
): WorkspaceEventInput | null {
  const testimonyId = importedTestimonyId(draft.key)
  const before = existing?.respondent ?? null
  const respondentId = before?.id ?? importedRespondentId(draft.key)
  const consent = draft.respondent.consent
  const sameConsent =
    before !== null &&
    before.consent.withdrawn === consent.withdrawn &&
    before.consent.form === consent.form &&
    isDeepStrictEqual(before.consent.uses, consent.uses)
  const part = draft.respondent
  const respondent: Respondent = {
    id: respondentId,
    key: part.key,
    collectionMode: part.collectionMode,
    residenceCountry: part.residenceCountry,
    ethnicity: part.ethnicity,
    status: part.status,
    gender: part.gender,
    ageBand: part.ageBand,
    occupation: part.occupation,
    activist: before?.activist ?? null,
    impacts: part.impacts,
    disclosure: part.disclosure,
    consent: {
      uses: consent.uses,
      withdrawn: consent.withdrawn,
      form: consent.form,
      recordedOn: sameConsent ? before.consent.recordedOn : context.today,
    },
    pseudonym: before?.pseudonym ?? null,
  }
  const incidents = draft.incidents.map(({ id, incident }): Incident => ({
    id,
    testimonyId,
    respondentId,
    type: incident.type,
    channel: incident.channel,
    perpetrator: incident.perpetrator,
    target: incident.target,
    relativeId: null,
    receivedIn: incident.receivedIn,
    originatedIn: incident.originatedIn,
    date: incident.date,
    confidence: incident.confidence,
    note: incident.note,
    codebook: context.codebook,
  }))
  if (
    existing !== null &&
    isDeepStrictEqual(existing.respondent, respondent) &&
    sameRecords(existing.incidents, incidents)
  ) {
    return null
  }
  const testimony: Testimony = {
    id: testimonyId,
    respondentId,
    source: { mode: 'import', label: context.label },
    receivedOn: existing?.receivedOn ?? context.today,
    answers: {},
    narratives: [],
    translation: null,
    attachments: [],
  }
  return { kind: 'testimony.imported', respondent, testimony, incidents, relatives: [], identifiers: [] }
}

/** Equal as sets of records (ids included), whatever their order. */
function sameRecords(a: readonly { id: string }[], b: readonly { id: string }[]): boolean {
  if (a.length !== b.length) return false
  const byId = (x: { id: string }, y: { id: string }) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)
  return isDeepStrictEqual([...a].sort(byId), [...b].sort(byId))
}
