import { Relative, type TestimonyId } from '@amanat/domain'
import type { RelativeTable } from '../schema/relative.table.ts'
import { dateFrom, dateValue } from './incident.projection.ts'

/**
 * The row that stores `relative`, written by the event `seq`; `source` is the testimony it was
 * imported with, if any.
 */
export function relativeToRow(
  no: number,
  relative: Relative,
  source: TestimonyId | null,
  seq: number,
): RelativeTable {
  return {
    respondent_no: no,
    id: relative.id,
    respondent_id: relative.respondentId,
    source_testimony_id: source,
    relation: relative.relation,
    status: relative.status,
    since_precision: relative.since.precision,
    since_value: dateValue(relative.since),
    last_contact_precision: relative.lastContact.precision,
    last_contact_value: dateValue(relative.lastContact),
    note: relative.note,
    codebook: relative.codebook,
    written_seq: seq,
  }
}

/** The relative a stored row holds, parsed. */
export function relativeFromRow(row: RelativeTable): Relative {
  return Relative.parse({
    id: row.id,
    respondentId: row.respondent_id,
    relation: row.relation,
    status: row.status,
    since: dateFrom(row.since_precision, row.since_value),
    lastContact: dateFrom(row.last_contact_precision, row.last_contact_value),
    note: row.note,
    codebook: row.codebook,
  })
}
