import type { Kysely, Migration } from 'kysely'
import type { ColumnTypes } from './column-types.ts'

/**
 * Statistics (issue #5, parts 1 and 2). Frozen once released.
 *
 * - `releases`: the release ledger, projected from `release.recorded` events: what each release
 *   published (its tables as JSON), so disclosure control can check a new release against every
 *   earlier one (differencing) and a rebuild of unchanged content records nothing new.
 * - `stats_cache`: not a projection but a derived cache: the columnar cube statistics are counted
 *   on, keyed by the head of the event log it was built from. It lives inside the store so it is
 *   encrypted like everything else; losing it costs one rebuild, never data.
 */
export function releasesMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('releases')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('k', 'integer', (c) => c.notNull())
        .addColumn('seq', types.seq, (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addColumn('tables', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('releases_pk', ['name', 'sha256'])
        .execute()
      await db.schema
        .createTable('stats_cache')
        .addColumn('name', 'text', (c) => c.primaryKey().notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('data', types.bytes, (c) => c.notNull())
        .execute()
    },
  }
}
