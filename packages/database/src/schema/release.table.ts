/**
 * The release ledger as stored: one row per recorded release (`release.recorded`). `tables` is
 * the JSON array of the release's `ReleasedTable`s; `seq` is the recording event's seq, so the
 * ledger reads in the order releases were made. Counts only, no person.
 */
export interface ReleaseTable {
  name: string
  sha256: string
  kind: string
  k: number
  seq: number
  recorded_at: string
  tables: string
}

/**
 * A derived cache, not a projection (`replayProjections` leaves it alone): `version` says which
 * state of the workspace `data` was built from; a reader that finds another version rebuilds.
 */
export interface StatsCacheTable {
  name: string
  version: string
  data: Buffer
}
