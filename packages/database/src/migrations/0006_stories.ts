import type { Kysely, Migration } from 'kysely'
import { clusteredFor, type ColumnTypes } from './column-types.ts'

/**
 * Case stories (issue #5, part 4): one row per story, keyed by (respondent_no, id) like every
 * respondent's rows, so erasure and replay treat them as the respondent's. Frozen once released.
 */
export function storiesMigration(types: ColumnTypes): Migration {
  const clustered = clusteredFor(types)
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await clustered(
        db.schema
          .createTable('stories')
          .addColumn('respondent_no', types.seq, (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('language', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('publish', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('stories_pk', ['respondent_no', 'id']),
      ).execute()
    },
  }
}
