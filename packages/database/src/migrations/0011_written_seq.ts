import type { Kysely, Migration } from 'kysely'
import type { ColumnTypes } from './column-types.ts'

/**
 * The tables whose rows an analyst edits one at a time, and which carry their version: a
 * respondent's row holds their consent, disclosure wish and impacts; a testimony's, its
 * translation; a story's, its text and its mark for publication.
 */
export const VERSIONED_TABLES = [
  'respondents',
  'testimonies',
  'incidents',
  'relatives',
  'identifiers',
  'stories',
] as const

/**
 * `written_seq` on respondents, testimonies, incidents, relatives, identifiers and stories: the seq of the event that last wrote the
 * row, its version for an edit that must not overwrite a newer one (AppendOptions.expect). Rows
 * written before this migration read 0 until they are written again (their seq would need every
 * body opened); a rebuild of the projections sets the real ones. Frozen once released.
 */
export function writtenSeqMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const table of VERSIONED_TABLES) {
        await db.schema
          .alterTable(table)
          .addColumn('written_seq', types.seq, (c) => c.notNull().defaultTo(0))
          .execute()
      }
    },
  }
}
