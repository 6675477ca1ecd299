/**
 * Relatives as stored. `source_testimony_id` is set when the row came from a `testimony.imported`
 * event (re-importing that testimony replaces it) and null when an analyst recorded it directly.
 */
export interface RelativeTable {
  respondent_no: number
  id: string
  respondent_id: string
  source_testimony_id: string | null
  relation: string
  status: string
  since_precision: string
  since_value: string | null
  last_contact_precision: string
  last_contact_value: string | null
  note: string | null
  codebook: string
  /** The seq of the event that last wrote the row: its version (0 if written before migration 0011). */
  written_seq: number
}
