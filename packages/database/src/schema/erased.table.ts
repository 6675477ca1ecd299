/**
 * Every respondent the workspace erased, projected from `respondent.erased` (whose body holds
 * the same id and number in clear, so this adds nothing to what the log shows). No event about
 * them can be recorded afterwards: their key is gone, and a new one would bring them back under
 * their old id (a coding saved as the erasure ran, a coded-data file imported again). The write
 * path refuses to create a key for an id listed here (`respondent.erased`). Keyed by the id, and
 * without a `respondent_no` column, so the erasure's own deletions leave it standing.
 */
export interface ErasedRespondentTable {
  respondent_id: string
  /** The seq of the `respondent.erased` event. */
  seq: number
}
