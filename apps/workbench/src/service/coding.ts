import {
  checkCodes,
  Identifier,
  IdentifierId,
  Incident,
  IncidentId,
  inputError,
  describeIssues,
  newId,
  Relative,
  RelativeId,
  Respondent,
  type CountryCode,
} from '@amanat/domain'
import type { RecordVersion } from '@amanat/database'
import { z } from 'zod'
import { normaliseIdentifier } from './identifier-normalise.ts'
import { loadRespondent, loadTestimony, respondentNumber, type TestimonyRef } from './records.ts'
import type { WorkbenchSession } from './session.ts'
import { serialised } from './serialised.ts'

/**
 * Coding a testimony: incidents, relatives, perpetrator identifiers and the respondent's impacts.
 * Each change is one event written by the session's analyst; codes are checked against the
 * current codebook (an unknown code is an input error with the nearest code as a hint) and every
 * incident and relative records the codebook version it was coded with.
 */

/**
 * What an edit of an existing record carries besides its fields: the record's `id`, and the
 * `version` it was read at (the reader's `versions`). With a version the edit is refused as
 * `record.changed`, and nothing written, when someone else has changed or removed the record
 * since (another tab, another analyst on the team's store, a recode): it never overwrites their
 * change or brings a removed record back. Without one (older callers) it replaces whatever is there.
 */
export interface EditOf {
  /** Set to edit an existing record; omitted for a new one. */
  readonly id?: string
  readonly version?: number
}

/** An incident as the coding form sends it: everything but what the service fills in. */
export type IncidentDraft = Omit<
  z.input<typeof Incident>,
  'id' | 'testimonyId' | 'respondentId' | 'codebook'
> &
  EditOf

/** A relative as the coding form sends it. */
export type RelativeDraft = Omit<z.input<typeof Relative>, 'id' | 'respondentId' | 'codebook'> & EditOf

/** The version an edit was read at ({@link EditOf}): a count of events. */
const Version = z.number().int().nonnegative().optional()

/**
 * A perpetrator or channel identifier as the coding form sends it (`normalised` is computed):
 * `incidentIds` are the respondent's incidents it was seen in; the first one's received country
 * reads local phone numbers. Parsed before any of it is used.
 */
const IdentifierDraftSchema = Identifier.pick({ kind: true, value: true, incidentIds: true })
  .extend({ id: Identifier.shape.id.optional(), version: Version })
  .strict()
export type IdentifierDraft = z.input<typeof IdentifierDraftSchema>

/**
 * Records (or, with `draft.id`, replaces) an incident of a testimony.
 *
 * @throws AmanatError input `input.invalid` (the problems in the message), `codebook.unknown_code`,
 *   `relative.not_found`, `testimony.not_found`.
 */
export async function recordIncident(
  session: WorkbenchSession,
  ref: TestimonyRef,
  draft: IncidentDraft,
): Promise<Incident> {
  // Serialised with a recode, which carries every incident over to a new codebook version.
  return serialised(session, async () => {
    const { no, testimony } = await loadTestimony(session, ref)
    const { version, ...fields } = draft
    const incident = parseRecord(Incident, {
      ...fields,
      id: draft.id ?? newId(IncidentId),
      testimonyId: testimony.id,
      respondentId: testimony.respondentId,
      codebook: session.codebookRef,
    })
    checkCodes(session.codebook, { incidents: [incident] })
    if (incident.relativeId !== null)
      await mustExist(session, 'relatives', no, incident.relativeId, 'relative.not_found')
    await session.store.append(
      session.analyst.id,
      { kind: 'incident.recorded', incident },
      expecting('incidents', testimony.respondentId, draft.id, version),
    )
    return incident
  })
}

/**
 * Removes an incident (and its links to identifiers). With `version`, only that version of it
 * (see {@link EditOf}). Throws input `incident.not_found`, `record.changed`.
 */
export async function removeIncident(
  session: WorkbenchSession,
  respondentId: string,
  incidentId: string,
  version?: number,
): Promise<void> {
  // Serialised with a recode, which would otherwise record a removed incident again.
  await serialised(session, async () => {
    const no = await respondentNumber(session, respondentId)
    await mustExist(session, 'incidents', no, incidentId, 'incident.not_found')
    await session.store.append(
      session.analyst.id,
      { kind: 'incident.removed', respondentId, incidentId },
      expecting('incidents', respondentId, incidentId, version),
    )
  })
}

/**
 * Records (or replaces) a relative of a respondent.
 *
 * @throws AmanatError input `input.invalid`, `codebook.unknown_code`, `respondent.not_found`.
 */
export async function recordRelative(
  session: WorkbenchSession,
  respondentId: string,
  draft: RelativeDraft,
): Promise<Relative> {
  const { respondent } = await loadRespondent(session, respondentId)
  const { version, ...fields } = draft
  const relative = parseRecord(Relative, {
    ...fields,
    id: draft.id ?? newId(RelativeId),
    respondentId: respondent.id,
    codebook: session.codebookRef,
  })
  checkCodes(session.codebook, { relatives: [relative] })
  await session.store.append(
    session.analyst.id,
    { kind: 'relative.recorded', relative },
    expecting('relatives', respondent.id, draft.id, version),
  )
  return relative
}

/**
 * Removes a relative; with `version`, only that version of it (see {@link EditOf}). Throws input
 * `relative.not_found`, `record.changed`.
 */
export async function removeRelative(
  session: WorkbenchSession,
  respondentId: string,
  relativeId: string,
  version?: number,
): Promise<void> {
  const no = await respondentNumber(session, respondentId)
  await mustExist(session, 'relatives', no, relativeId, 'relative.not_found')
  await session.store.append(
    session.analyst.id,
    { kind: 'relative.removed', respondentId, relativeId },
    expecting('relatives', respondentId, relativeId, version),
  )
}

/**
 * Records (or replaces) an identifier, normalised (phones to E.164 read in the first linked
 * incident's received country).
 *
 * @throws AmanatError input `input.invalid`, `identifier.bad_phone`, `identifier.bad_email`, `incident.not_found`.
 */
export async function recordIdentifier(
  session: WorkbenchSession,
  respondentId: string,
  given: IdentifierDraft,
): Promise<Identifier> {
  const no = await respondentNumber(session, respondentId)
  const draft = parseRecord(IdentifierDraftSchema, given)
  const incidents =
    draft.incidentIds.length === 0
      ? []
      : await session.store.db
          .selectFrom('incidents')
          .select(['id', 'received_country'])
          .where('respondent_no', '=', no)
          .where('id', 'in', [...draft.incidentIds])
          .execute()
  const missing = draft.incidentIds.find((id) => !incidents.some((i) => i.id === id))
  if (missing !== undefined)
    throw inputError(
      'incident.not_found',
      'An identifier can only be linked to incidents of the same respondent.',
    )
  const first = incidents.find((i) => i.id === draft.incidentIds[0])
  const region = (first?.received_country ?? null) as CountryCode | null
  const identifier = parseRecord(Identifier, {
    id: draft.id ?? newId(IdentifierId),
    respondentId,
    kind: draft.kind,
    value: draft.value,
    normalised: normaliseIdentifier(draft.kind, draft.value, region),
    incidentIds: [...new Set(draft.incidentIds)],
  })
  await session.store.append(
    session.analyst.id,
    { kind: 'identifier.recorded', identifier },
    expecting('identifiers', respondentId, draft.id, draft.version),
  )
  return identifier
}

/**
 * Removes an identifier; with `version`, only that version of it (see {@link EditOf}). Throws
 * input `identifier.not_found`, `record.changed`.
 */
export async function removeIdentifier(
  session: WorkbenchSession,
  respondentId: string,
  identifierId: string,
  version?: number,
): Promise<void> {
  const no = await respondentNumber(session, respondentId)
  await mustExist(session, 'identifiers', no, identifierId, 'identifier.not_found')
  await session.store.append(
    session.analyst.id,
    { kind: 'identifier.removed', respondentId, identifierId },
    expecting('identifiers', respondentId, identifierId, version),
  )
}

/**
 * Sets what the harassment did to the respondent (impact codes), re-recording the respondent.
 *
 * @throws AmanatError input `codebook.unknown_code`, `respondent.not_found`.
 */
export async function setImpacts(
  session: WorkbenchSession,
  respondentId: string,
  impacts: readonly string[],
  version?: number,
): Promise<void> {
  await serialised(session, async () => {
    const read = await loadRespondent(session, respondentId)
    const changed = parseRecord(Respondent, { ...read.respondent, impacts: [...new Set(impacts)] })
    checkCodes(session.codebook, { respondents: [changed] })
    await session.store.append(
      session.analyst.id,
      { kind: 'respondent.recorded', respondent: changed },
      respondentExpected(read, version),
    )
  })
}

/**
 * The append options of a change to a respondent's own record (consent, disclosure, impacts,
 * pseudonym), which re-records the whole record as `read`: it must still be the version the
 * change was made from (`version`, {@link EditOf}), or, without one, the version just read, so
 * that a change saved meanwhile by another process (another analyst's consent) is never written
 * over with the old values.
 */
export function respondentExpected(
  read: { readonly respondent: Respondent; readonly version: number },
  version: number | undefined,
): { expect: RecordVersion[] } {
  const id = read.respondent.id
  return expecting('respondents', id, id, version ?? read.version)
}

/** Parses a record at the service boundary; input `input.invalid` with the problems. */
export function parseRecord<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value)
  if (!parsed.success)
    throw inputError('input.invalid', `That is not valid: ${describeIssues(parsed.error).join('; ')}.`)
  return parsed.data
}

/**
 * The append options of an edit of record `id` read at `version` (see {@link EditOf}): the store
 * refuses it as `record.changed` unless the record is still that version. Nothing to expect for a
 * new record, or without a version. Input `input.invalid` for a version that is not a count.
 */
export function expecting(
  table: RecordVersion['table'],
  respondentId: string,
  id: string | undefined,
  version: unknown,
): { expect: RecordVersion[] } {
  const writtenSeq = parseRecord(Version, version)
  if (id === undefined || writtenSeq === undefined) return { expect: [] }
  return { expect: [{ table, respondentId, id, writtenSeq }] }
}

async function mustExist(
  session: WorkbenchSession,
  table: 'incidents' | 'relatives' | 'identifiers',
  no: number,
  id: string,
  code: string,
): Promise<void> {
  const row = await session.store.db
    .selectFrom(table)
    .select('id')
    .where('respondent_no', '=', no)
    .where('id', '=', id)
    .executeTakeFirst()
  if (row === undefined)
    throw inputError(code, `There is no such ${code.split('.')[0] ?? 'record'} for this respondent.`)
}
