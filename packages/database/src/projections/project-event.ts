import { AmanatError, type TestimonyId, type WorkspaceEventBody } from '@amanat/domain'
import { erasureDeletes } from './erasure.projection.ts'
import { identifierLinkRows, identifierToRow } from './identifier.projection.ts'
import { incidentToRow } from './incident.projection.ts'
import { relativeToRow } from './relative.projection.ts'
import { respondentToRow } from './respondent.projection.ts'
import { deleteWhere, insert, keep, upsert, type RowOp } from './row-op.ts'
import { testimonyToRow } from './testimony.projection.ts'

/** What a projection may know about the event besides its body. */
export interface ProjectionContext {
  /** When the event was recorded, as stored (`toISOString()` form). */
  readonly recordedAt: string
  /** The number of the event's subject (`respondent_no`), or null for an event without one. */
  readonly respondentNo: number | null
  /** The event's own seq. When it equals `respondentNo` this is the first event about the respondent. */
  readonly seq: number
}

/**
 * The table changes one event makes, in the order they must apply. Pure: the same body gives the
 * same operations on every dialect, on first append and on replay, which is what makes
 * `replayProjections()` equal to the incrementally maintained tables.
 *
 * Rows of a respondent are identified by (respondent_no, id): recording an id again for the same
 * respondent replaces the earlier row. Removals carry only an id, so they look in every
 * respondent's rows, found by the event's subject like every other change.
 * Removing something that is not there changes nothing. Kinds that no table shows yet (intake
 * bookkeeping) project to nothing: they stay readable in the log.
 */
export function projectEvent(body: WorkspaceEventBody, context: ProjectionContext): RowOp[] {
  switch (body.kind) {
    case 'workspace.created':
      return [upsert('workspace', { id: 1, name: body.name, created_at: context.recordedAt })]
    case 'analyst.added':
      return [upsert('analysts', { id: body.analyst.id, label: body.analyst.label })]
    case 'codebook.adopted': {
      const book = body.codebook
      const ref = `${book.id}@${book.version}`
      return [upsert('codebooks', { ref, id: book.id, version: book.version, json: JSON.stringify(book) })]
    }
    case 'respondent.recorded':
      return [upsert('respondents', respondentToRow(subjectNo(context), body.respondent, context.seq))]
    case 'testimony.recorded':
      return [upsert('testimonies', testimonyToRow(subjectNo(context), body.testimony, context.seq))]
    case 'testimony.imported':
      return projectImport(subjectNo(context), body, context)
    case 'incident.recorded':
      return [upsert('incidents', incidentToRow(subjectNo(context), body.incident, context.seq))]
    case 'incident.removed': {
      const no = subjectNo(context)
      return [
        deleteWhere('identifier_incidents', { respondent_no: no, incident_id: body.incidentId }),
        deleteWhere('incidents', { respondent_no: no, id: body.incidentId }),
      ]
    }
    case 'relative.recorded':
      return [upsert('relatives', relativeToRow(subjectNo(context), body.relative, null, context.seq))]
    case 'relative.removed':
      return [deleteWhere('relatives', { respondent_no: subjectNo(context), id: body.relativeId })]
    case 'identifier.recorded': {
      const no = subjectNo(context)
      const identifier = body.identifier
      return [
        upsert('identifiers', identifierToRow(no, identifier, null, context.seq)),
        deleteWhere('identifier_incidents', { respondent_no: no, identifier_id: identifier.id }),
        ...identifierLinkRows(no, identifier, null).map((row) => upsert('identifier_incidents', row)),
      ]
    }
    case 'identifier.removed': {
      const no = subjectNo(context)
      return [
        deleteWhere('identifier_incidents', { respondent_no: no, identifier_id: body.identifierId }),
        deleteWhere('identifiers', { respondent_no: no, id: body.identifierId }),
      ]
    }
    case 'attachment.imported':
      return [upsert('attachment_events', { respondent_no: subjectNo(context), attachment_id: body.attachmentId, seq: context.seq })]
    case 'testimony.status_set': {
      const no = subjectNo(context)
      const key = { respondent_no: no, testimony_id: body.testimonyId }
      const status = { ...key, status: body.status, note: body.note, status_at: context.recordedAt, status_seq: context.seq }
      return body.status === 'coded'
        ? [upsert('testimony_status', status), upsert('testimony_coded', { ...key, coded_seq: context.seq })]
        : [upsert('testimony_status', status)]
    }
    case 'coding.independent':
      return [
        upsert('independent_codings', {
          respondent_no: subjectNo(context),
          testimony_id: body.testimonyId,
          types: JSON.stringify(body.types),
          codebook: body.codebook,
          coded_seq: context.seq,
        }),
      ]
    case 'pseudonym.assigned':
      return [upsert('pseudonyms', { respondent_no: subjectNo(context), pseudonym: body.pseudonym })]
    case 'questionnaire.published':
    case 'recipients.changed':
    case 'invites.issued':
    case 'invites.revoked':
    case 'submission.set_aside':
      return []
    case 'intake.pulled':
      // One successor per pull (an insert: a second one fails the transaction), schema/intake.table.ts.
      return body.after === undefined
        ? []
        : [insert('intake_pulls', { server: body.server, after_seq: body.after, seq: context.seq })]
    case 'respondent.erased':
      return [
        ...erasureDeletes(body.respondentNo),
        upsert('erased_respondents', { respondent_id: body.respondentId, seq: context.seq }),
      ]
    case 'vault.keyed':
      // The first key stays: of two first entries recorded at once (two processes), both are
      // then sealed under the one the store holds (the vault reads it back after recording).
      return [
        keep('vault_keys', {
          respondent_no: subjectNo(context),
          respondent_id: body.respondentId,
          key: Buffer.from(body.key, 'base64'),
        }),
      ]
    case 'backup.made':
    case 'dossier.issued':
    case 'export.written':
      return []
    case 'story.recorded': {
      const { id, language, title, text, publish } = body.story
      const row = { respondent_no: subjectNo(context), id, language, title, text, publish: publish ? 1 : 0, written_seq: context.seq }
      return [upsert('stories', row)]
    }
    case 'story.removed':
      return [deleteWhere('stories', { respondent_no: subjectNo(context), id: body.storyId })]
    case 'release.recorded': {
      const { name, sha256, kind, k, tables } = body.release
      const row = { name, sha256, kind, k, seq: context.seq, recorded_at: context.recordedAt, tables: JSON.stringify(tables) }
      return [upsert('releases', row)]
    }
  }
}

function subjectNo(context: ProjectionContext): number {
  if (context.respondentNo === null) {
    throw new AmanatError(
      'internal',
      'workspace.subject_missing',
      'An event about a respondent was projected without its number.',
    )
  }
  return context.respondentNo
}

type ImportBody = Extract<WorkspaceEventBody, { kind: 'testimony.imported' }>

/**
 * A whole account replaces whatever an earlier import of the same testimony wrote: its incidents,
 * and the relatives, identifiers and links that came with it (`source_testimony_id`). Rows an
 * analyst recorded separately stay, unless the import names the same id, which then wins.
 *
 * When the respondent is new (`known` false: this event numbered them) no row of theirs can exist
 * yet, so the deletes are left out: the bulk path of a study import writes and never probes.
 */
function projectImport(no: number, body: ImportBody, context: ProjectionContext): RowOp[] {
  const { seq } = context
  const known = context.respondentNo !== seq
  const testimonyId: TestimonyId = body.testimony.id
  const ops: RowOp[] = [upsert('respondents', respondentToRow(no, body.respondent, seq))]
  if (known) {
    ops.push(
      deleteWhere('incidents', { respondent_no: no, testimony_id: testimonyId }),
      deleteWhere('relatives', { respondent_no: no, source_testimony_id: testimonyId }),
      deleteWhere('identifiers', { respondent_no: no, source_testimony_id: testimonyId }),
      deleteWhere('identifier_incidents', { respondent_no: no, source_testimony_id: testimonyId }),
    )
  }
  ops.push(upsert('testimonies', testimonyToRow(no, body.testimony, seq)))
  for (const incident of body.incidents) ops.push(upsert('incidents', incidentToRow(no, incident, seq)))
  for (const relative of body.relatives)
    ops.push(upsert('relatives', relativeToRow(no, relative, testimonyId, seq)))
  for (const identifier of body.identifiers) {
    ops.push(upsert('identifiers', identifierToRow(no, identifier, testimonyId, seq)))
    if (known)
      ops.push(deleteWhere('identifier_incidents', { respondent_no: no, identifier_id: identifier.id }))
    for (const link of identifierLinkRows(no, identifier, testimonyId))
      ops.push(upsert('identifier_incidents', link))
  }
  return ops
}
