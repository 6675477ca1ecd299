import type { Kysely, Migration } from 'kysely'
import type { ColumnTypes } from './column-types.ts'

/**
 * `intake_pulls` (schema/intake.table.ts): one successor per pull from a server, so two pulls
 * running at once cannot both import what they read. Events written before it name no
 * predecessor and project nothing here. Frozen once released.
 */
export function intakePullsMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('intake_pulls')
        .addColumn('server', 'text', (c) => c.notNull())
        .addColumn('after_seq', types.seq, (c) => c.notNull())
        .addColumn('seq', types.seq, (c) => c.notNull())
        .addPrimaryKeyConstraint('intake_pulls_pk', ['server', 'after_seq'])
        .execute()
    },
  }
}
