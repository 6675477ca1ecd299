/**
 * Identifiers as stored; their links to incidents live in {@link IdentifierIncidentTable}.
 * `source_testimony_id` has the same meaning as on relatives.
 */
export interface IdentifierTable {
  respondent_no: number
  id: string
  respondent_id: string
  source_testimony_id: string | null
  kind: string
  value: string
  normalised: string | null
  /** The seq of the event that last wrote the row: its version (0 if written before migration 0011). */
  written_seq: number
}

/** Which incidents an identifier was seen in (an identifier's `incidentIds`). */
export interface IdentifierIncidentTable {
  respondent_no: number
  identifier_id: string
  incident_id: string
  source_testimony_id: string | null
}
