import {
  assertCode,
  checkCodes,
  Codebook,
  codebookRef,
  describeIssues,
  findCode,
  inputError,
  isAmanatError,
  type Incident,
} from '@amanat/domain'
import { incidentFromRow, type RecordVersion, type WorkspaceEventInput } from '@amanat/database'
import { serialised } from './serialised.ts'
import type { WorkbenchSession } from './session.ts'
import type { RecodeReport } from './types.ts'

/**
 * Moving the workspace to a new codebook version. The new version is adopted (`codebook.adopted`)
 * and every incident is carried over: its type through `mapping` (old code → new code), or
 * unchanged when the mapping does not mention it. An incident whose type maps to nothing, whose
 * type the new version deprecated without the mapping saying where it went, or whose codes the
 * new version lacks, is left as it was and its testimony is marked `needs_attention` with the
 * reasons, for an analyst to decide. Carried-over incidents are recorded again with the new
 * codebook reference, so each coding keeps saying which version it used.
 */

/** Incidents read and events written per step (the store's bulk path is fastest near a thousand). */
const STEP = 1000

export interface RecodeRequest {
  /** Incident type code in the current codebook → code in `toCodebook`, or null: no longer coded. */
  readonly mapping: Readonly<Record<string, string | null>>
  readonly toCodebook: Codebook
}

/**
 * Adopts `toCodebook` and recodes every incident (see above).
 *
 * @throws AmanatError input `codebook.invalid` for a codebook that does not parse or is the current
 *   version; `codebook.unknown_code` for a mapping that names a code either version lacks;
 *   `recode.running` while another recode of this session runs.
 */
export async function recode(session: WorkbenchSession, request: RecodeRequest): Promise<RecodeReport> {
  const parsed = Codebook.safeParse(request.toCodebook)
  if (!parsed.success)
    throw inputError(
      'codebook.invalid',
      `That codebook is not valid: ${describeIssues(parsed.error).join('; ')}.`,
    )
  const to = parsed.data
  const toRef = codebookRef(to)
  if (toRef === session.codebookRef)
    throw inputError('codebook.invalid', `The workspace already uses ${toRef}.`)
  for (const [from, target] of Object.entries(request.mapping)) {
    assertCode(session.codebook, 'harassment_types', from)
    if (target !== null) assertCode(to, 'harassment_types', target)
  }
  const done = session.beginRecode()
  try {
    // After the codings already on their way, and before any that come meanwhile: an incident
    // recorded or removed while the recode runs would otherwise be checked against the old version
    // and left behind, or written back by the recode as it was read (docs/decisions/0011).
    return await serialised(session, () => adoptAndCarryOver(session, request.mapping, to, toRef))
  } finally {
    done()
  }
}

async function adoptAndCarryOver(
  session: WorkbenchSession,
  mapping: RecodeRequest['mapping'],
  to: Codebook,
  toRef: string,
): Promise<RecodeReport> {
  const adoption = await session.store.append(session.analyst.id, { kind: 'codebook.adopted', codebook: to })
  session.adopted(to, adoption.seq)

  let recoded = 0
  const attention = new Map<string, { testimonyId: string; respondentId: string; reasons: string[] }>()
  let after: { no: number; id: string } | null = null
  for (;;) {
    const step = await carryOverStep(session, after, mapping, to, toRef)
    if (step === null) break
    after = step.last
    recoded += step.recoded
    for (const [key, { testimonyId, respondentId, reasons }] of step.attention) {
      const entry = attention.get(key) ?? { testimonyId, respondentId, reasons: [] }
      entry.reasons.push(...reasons)
      attention.set(key, entry)
    }
  }

  const flagged = [...attention.values()]
  for (let i = 0; i < flagged.length; i += STEP) {
    await session.store.appendBatch(
      session.analyst.id,
      flagged.slice(i, i + STEP).map((t) => ({
        kind: 'testimony.status_set' as const,
        respondentId: t.respondentId,
        testimonyId: t.testimonyId,
        status: 'needs_attention' as const,
        note: `Recode to ${toRef}: ${t.reasons.join('; ')}`.slice(0, 2000),
      })),
    )
  }
  return { codebookRef: toRef, recoded, needsAttention: flagged }
}

/** How often a step is read and carried over again when incidents of it changed meanwhile. */
const STEP_ATTEMPTS = 5

/**
 * Carries over the incidents after `after` (a page of {@link STEP}), each recorded again only over
 * the version it was read at: an incident another process changed meanwhile (a colleague's edit on
 * the team's store) refuses the page (`record.changed`), which is read and carried over again, so
 * the edit is carried over rather than written over. Null when no incident is left.
 */
async function carryOverStep(
  session: WorkbenchSession,
  after: { no: number; id: string } | null,
  mapping: RecodeRequest['mapping'],
  to: Codebook,
  toRef: string,
): Promise<{
  last: { no: number; id: string }
  recoded: number
  attention: Map<string, { testimonyId: string; respondentId: string; reasons: string[] }>
} | null> {
  for (let attempt = 1; ; attempt += 1) {
    let query = session.store.db.selectFrom('incidents').selectAll()
    if (after !== null) {
      const { no, id } = after
      query = query.where((eb) => eb(eb.refTuple('respondent_no', 'id'), '>', eb.tuple(no, id)))
    }
    const rows = await query.orderBy('respondent_no').orderBy('id').limit(STEP).execute()
    const last = rows.at(-1)
    if (last === undefined) return null
    const attention = new Map<string, { testimonyId: string; respondentId: string; reasons: string[] }>()
    const events: WorkspaceEventInput[] = []
    const expect: RecordVersion[] = []
    for (const row of rows) {
      const incident = incidentFromRow(row)
      const outcome = carryOver(incident, mapping, to, toRef)
      if (typeof outcome === 'string') {
        const key = `${incident.respondentId}:${incident.testimonyId}`
        const entry = attention.get(key) ?? {
          testimonyId: incident.testimonyId,
          respondentId: incident.respondentId,
          reasons: [],
        }
        entry.reasons.push(outcome)
        attention.set(key, entry)
      } else if (outcome !== null) {
        events.push({ kind: 'incident.recorded', incident: outcome })
        const writtenSeq = Number(row.written_seq)
        expect.push({ table: 'incidents', respondentId: incident.respondentId, id: incident.id, writtenSeq })
      }
    }
    try {
      await session.store.appendBatch(session.analyst.id, events, { expect })
    } catch (error) {
      if (!isAmanatError(error) || error.code !== 'record.changed' || attempt === STEP_ATTEMPTS) throw error
      continue
    }
    return { last: { no: Number(last.respondent_no), id: last.id }, recoded: events.length, attention }
  }
}

/** The incident under the new version, null when it needs no change, or why it needs an analyst. */
function carryOver(
  incident: Incident,
  mapping: RecodeRequest['mapping'],
  to: Codebook,
  toRef: string,
): Incident | null | string {
  const mapped = Object.hasOwn(mapping, incident.type)
  const type = mapped ? mapping[incident.type] : incident.type
  if (type === null || type === undefined) return `${incident.type} maps to no code`
  if (!mapped && findCode(to, 'harassment_types', type)?.deprecated === true)
    return `${type} is deprecated in ${toRef} and the mapping does not say what replaces it`
  const changed: Incident = {
    ...incident,
    type: type as Incident['type'],
    codebook: toRef as Incident['codebook'],
  }
  try {
    checkCodes(to, { incidents: [changed] })
  } catch (error) {
    if (isAmanatError(error, 'codebook.unknown_code'))
      return `${toRef} lacks a code of this incident (${error.message})`
    throw error
  }
  return changed.type === incident.type && incident.codebook === toRef ? null : changed
}
