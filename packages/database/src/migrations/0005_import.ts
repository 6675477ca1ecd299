import type { Kysely, Migration } from 'kysely'

/**
 * Coded-data import (issue #4, part 7): `amanat import` finds the respondents a file names by
 * their key (`R-0042`), a thousand keys at a time, to compare them with the file and skip the
 * unchanged ones. Without an index every lookup would scan the respondents table. Not unique:
 * keys are the organisation's own references, and the import reports a key held twice instead of
 * failing the migration of a workspace that has one. Frozen once released, like 0001.
 */
export function importMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('respondents_by_key').on('respondents').column('key').execute()
    },
  }
}
