/**
 * The coding workflow's tables (migration 0002), projected from `testimony.status_set`,
 * `coding.independent`, `pseudonym.assigned` and `attachment.imported`. Who did something is never copied into a row:
 * rows keep the seq of the event that did it, and the log's `author` column says who wrote it.
 */

/**
 * A testimony's current workflow status. No row means `new`. `status_seq` is the event that set
 * it (its author is who set it).
 */
export interface TestimonyStatusTable {
  respondent_no: number
  testimony_id: string
  status: string
  note: string | null
  status_at: string
  status_seq: number
}

/** The latest `coded` status event of a testimony: its author is the coder, who may not review it. */
export interface TestimonyCodedTable {
  respondent_no: number
  testimony_id: string
  coded_seq: number
}

/** A second analyst's independent coding of a testimony (incident types as a JSON array). */
export interface IndependentCodingTable {
  respondent_no: number
  testimony_id: string
  types: string
  codebook: string
  coded_seq: number
}

/** The pseudonym registry: one pseudonym per respondent, unique in the workspace. */
export interface PseudonymTable {
  respondent_no: number
  pseudonym: string
}

/** The event (`attachment.imported`) that holds an attachment's bytes. */
export interface AttachmentEventTable {
  respondent_no: number
  attachment_id: string
  seq: number
}
