/**
 * Respondents as stored. Booleans are 0/1 integers in both dialects, so rows compare equal
 * across SQLite and PostgreSQL; `consent_uses` is a JSON array of consent uses.
 *
 * `respondent_no` is the workspace's own number for the respondent: the seq of the first event
 * about them, so the same log gives the same numbers on every dialect and on replay. Every row
 * that belongs to a respondent carries it first in its primary key, which keeps a respondent's
 * rows together and makes a new respondent's rows go to the end of every index: random ids as
 * leading keys would scatter each import over the whole file (see the package's decision notes).
 * Join on it; to go from a respondent id to it, use `store.respondentNo(id)`. Internal: it
 * reveals order of arrival and must not leave the workspace.
 */
export interface RespondentTable {
  respondent_no: number
  id: string
  key: string
  collection_mode: string
  residence_country: string | null
  ethnicity: string | null
  status: string | null
  gender: string | null
  age_band: string | null
  occupation: string | null
  activist: number | null
  /** JSON array of impact codes. */
  impacts: string
  disclosure: string
  consent_uses: string
  consent_withdrawn: number
  consent_form: string
  consent_recorded_on: string
  pseudonym: string | null
  /** The seq of the event that last wrote the row: its version (0 if written before migration 0011). */
  written_seq: number
}
