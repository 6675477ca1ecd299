import { AttachmentId, inputError, Narrative, Testimony } from '@amanat/domain'
import { identifierFromRow, incidentFromRow, relativeFromRow } from '@amanat/database'
import { expecting, parseRecord } from './coding.ts'
import { loadRespondent, loadTestimony, respondentNumber, type TestimonyRef } from './records.ts'
import type { WorkbenchSession } from './session.ts'
import { INLINE_MEDIA_TYPES, type TestimonyView } from './types.ts'
import { workflowOf } from './workflow.ts'

/**
 * The reader: one testimony with everything coded from it, and its attachments' bytes. Every
 * read is a primary-key lookup under the respondent's number.
 */

/** Everything the reader shows for one testimony. Throws input `respondent.not_found` / `testimony.not_found`. */
export async function readTestimony(session: WorkbenchSession, ref: TestimonyRef): Promise<TestimonyView> {
  const { no, testimony, version } = await loadTestimony(session, ref)
  const db = session.store.db
  const [read, incidents, relatives, identifiers, links, stored, workflow] = await Promise.all([
    loadRespondent(session, ref.respondentId),
    db
      .selectFrom('incidents')
      .selectAll()
      .where('respondent_no', '=', no)
      .where('testimony_id', '=', testimony.id)
      .orderBy('id')
      .execute(),
    db.selectFrom('relatives').selectAll().where('respondent_no', '=', no).orderBy('id').execute(),
    db.selectFrom('identifiers').selectAll().where('respondent_no', '=', no).orderBy('id').execute(),
    db
      .selectFrom('identifier_incidents')
      .select(['identifier_id', 'incident_id'])
      .where('respondent_no', '=', no)
      .execute(),
    db.selectFrom('attachment_events').select('attachment_id').where('respondent_no', '=', no).execute(),
    workflowOf(session, no, testimony.id),
  ])
  const { respondent } = read
  const incidentIds = new Set(incidents.map((i) => i.id))
  const linksOf = (identifierId: string) =>
    links.filter((l) => l.identifier_id === identifierId).map((l) => l.incident_id)
  const arrived = new Set(stored.map((s) => s.attachment_id))
  return {
    respondent,
    testimony,
    attachments: testimony.attachments.map((a) => ({
      id: a.id,
      mediaType: a.mediaType,
      byteLength: a.byteLength,
      originalName: a.originalName,
      metadataKept: a.metadataKept,
      available: arrived.has(a.id),
      inline: INLINE_MEDIA_TYPES.has(a.mediaType),
    })),
    incidents: incidents.map(incidentFromRow),
    relatives: relatives.map(relativeFromRow),
    // The respondent's identifiers seen in this testimony's incidents, and those linked to none.
    identifiers: identifiers
      .map((row) => identifierFromRow(row, linksOf(row.id)))
      .filter(
        (identifier) =>
          identifier.incidentIds.length === 0 || identifier.incidentIds.some((id) => incidentIds.has(id)),
      ),
    workflow,
    codebookRef: session.codebookRef,
    versions: Object.fromEntries<number>([
      [respondent.id, read.version],
      [testimony.id, version],
      ...[...incidents, ...relatives, ...identifiers].map((row): [string, number] => [
        row.id,
        Number(row.written_seq),
      ]),
    ]),
  }
}

/**
 * An attachment's bytes and media type, opened from its `attachment.imported` event (sealed under
 * the respondent's key; the store decrypts it).
 *
 * @throws AmanatError input `attachment.not_found` when the bytes never arrived or were erased.
 */
export async function attachmentBytes(
  session: WorkbenchSession,
  respondentId: string,
  attachmentId: string,
): Promise<{ readonly mediaType: string; readonly bytes: Uint8Array }> {
  const no = await respondentNumber(session, respondentId)
  const id = AttachmentId.safeParse(attachmentId)
  const row = id.success
    ? await session.store.db
        .selectFrom('attachment_events')
        .select('seq')
        .where('respondent_no', '=', no)
        .where('attachment_id', '=', id.data)
        .executeTakeFirst()
    : undefined
  const [event] =
    row === undefined ? [] : await session.store.events({ afterSeq: Number(row.seq) - 1, limit: 1 })
  const body = event?.body
  if (body?.kind !== 'attachment.imported')
    throw inputError('attachment.not_found', 'That attachment is not in this workspace.')
  const testimony = await loadTestimony(session, { respondentId, testimonyId: body.testimonyId })
  const meta = testimony.testimony.attachments.find((a) => a.id === body.attachmentId)
  return {
    mediaType: meta?.mediaType ?? 'application/octet-stream',
    bytes: new Uint8Array(Buffer.from(body.content, 'base64')),
  }
}

/**
 * Sets (or, with null, clears) an analyst's translation of a testimony: the testimony is
 * recorded again with it, as it was read at `version` (the reader's `versions`) or, without one,
 * as it is read now; returns the testimony's new version. Throws input `input.invalid` for a bad
 * language tag or text, `record.changed` when the testimony was changed since (another
 * analyst's translation, a re-import), so that nothing is written over.
 */
export async function setTranslation(
  session: WorkbenchSession,
  ref: TestimonyRef,
  translation: Narrative | null,
  version?: number,
): Promise<number> {
  const read = await loadTestimony(session, ref)
  const { testimony } = read
  const changed = parseRecord(Testimony, {
    ...testimony,
    translation: translation === null ? null : parseRecord(Narrative, translation),
  })
  const event = await session.store.append(
    session.analyst.id,
    { kind: 'testimony.recorded', testimony: changed },
    expecting('testimonies', testimony.respondentId, testimony.id, version ?? read.version),
  )
  return event.seq
}
