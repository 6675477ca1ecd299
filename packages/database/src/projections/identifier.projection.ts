import { Identifier, type TestimonyId } from '@amanat/domain'
import type { IdentifierIncidentTable, IdentifierTable } from '../schema/identifier.table.ts'

/**
 * The row that stores `identifier`, written by the event `seq`; its incident links are separate
 * rows ({@link identifierLinkRows}).
 */
export function identifierToRow(
  no: number,
  identifier: Identifier,
  source: TestimonyId | null,
  seq: number,
): IdentifierTable {
  return {
    respondent_no: no,
    id: identifier.id,
    respondent_id: identifier.respondentId,
    source_testimony_id: source,
    kind: identifier.kind,
    value: identifier.value,
    normalised: identifier.normalised,
    written_seq: seq,
  }
}

/** One link row per distinct incident the identifier was seen in. */
export function identifierLinkRows(
  no: number,
  identifier: Identifier,
  source: TestimonyId | null,
): IdentifierIncidentTable[] {
  return [...new Set(identifier.incidentIds)].map((incidentId) => ({
    respondent_no: no,
    identifier_id: identifier.id,
    incident_id: incidentId,
    source_testimony_id: source,
  }))
}

/** The identifier a stored row and its links hold, parsed. Links come back in the order given. */
export function identifierFromRow(row: IdentifierTable, incidentIds: readonly string[]): Identifier {
  return Identifier.parse({
    id: row.id,
    respondentId: row.respondent_id,
    kind: row.kind,
    value: row.value,
    normalised: row.normalised,
    incidentIds,
  })
}
