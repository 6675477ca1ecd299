/**
 * Testimonies as stored: the source flattened into columns (online columns or interview columns,
 * the others null), structured answers, narratives, translation and attachments as JSON text.
 */
export interface TestimonyTable {
  respondent_no: number
  id: string
  respondent_id: string
  source_mode: string
  questionnaire_id: string | null
  questionnaire_version: string | null
  interviewer: string | null
  interview_date: string | null
  interview_country: string | null
  interview_locality: string | null
  consent_given_orally: number | null
  received_on: string
  answers: string
  narratives: string
  translation: string | null
  attachments: string
  /** The seq of the event that last wrote the row: its version (0 if written before migration 0011). */
  written_seq: number
}
