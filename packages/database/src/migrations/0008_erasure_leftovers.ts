import { sql, type Kysely, type Migration } from 'kysely'

/**
 * Before 0008, erasure and shredding did not reach the coding workflow's tables (their projection
 * tables were not listed as such), so a workspace that erased someone may still hold that
 * respondent's testimony status and its note, their independent codings, their pseudonym and
 * their attachment records. A respondent's data key lives in `subject_keys` from their first
 * event until their erasure, so rows under a number with no key are exactly those leftovers.
 * Frozen once released.
 */
export const LEFTOVER_TABLES = [
  'testimony_status',
  'testimony_coded',
  'independent_codings',
  'pseudonyms',
  'attachment_events',
] as const

export function erasureLeftoversMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const table of LEFTOVER_TABLES) {
        await sql`delete from ${sql.table(table)} where "respondent_no" not in (select "respondent_no" from "subject_keys")`.execute(
          db,
        )
      }
    },
  }
}
