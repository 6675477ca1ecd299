/**
 * The event log as stored (rows, not domain types). `seq` is dense from 1; `body` is the event
 * body's JSON in UTF-8, or, when `subject` is set, that JSON sealed under the subject's data key
 * (see events/body-seal.ts); `prev_hash` and `hash` are 32-byte SHA-256 values (events/hash-chain.ts).
 */
export interface EventTable {
  seq: number
  id: string
  kind: string
  author: string
  /** `Date.prototype.toISOString()` form, UTC, milliseconds. Text so both dialects hash the same bytes. */
  recorded_at: string
  subject: string | null
  prev_hash: Buffer
  hash: Buffer
  body: Buffer
}

/**
 * One row per respondent who has sealed events: their 32-byte data key, wrapped under the
 * workspace's subject KEK. Deleting the row shreds every sealed body of that subject.
 * `respondent_no` is the respondent's number in this workspace (see RespondentTable).
 */
export interface SubjectKeyTable {
  subject: string
  respondent_no: number
  wrapped_key: Buffer
}
