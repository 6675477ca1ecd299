/**
 * Incidents flattened for counting: both places as country + locality columns, the partial date
 * as precision + value plus its year (null when unknown), so dashboards group without parsing.
 */
export interface IncidentTable {
  respondent_no: number
  id: string
  testimony_id: string
  respondent_id: string
  type: string
  channel: string | null
  perpetrator: string | null
  target: string
  relative_id: string | null
  received_country: string | null
  received_locality: string | null
  origin_country: string | null
  origin_locality: string | null
  date_precision: string
  date_value: string | null
  year: number | null
  confidence: string
  note: string | null
  codebook: string
  /** The seq of the event that last wrote the row: its version (0 if written before migration 0011). */
  written_seq: number
}
