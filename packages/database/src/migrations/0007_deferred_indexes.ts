import type { Kysely, Migration } from 'kysely'

/**
 * Bulk loads (docs/decisions/0021): the secondary indexes a bulk load sets aside, by name, with
 * the statement that builds each again. A row here means the index is missing; every open of the
 * store builds what is listed, so a load that stopped half-way never leaves a workspace without
 * its indexes. Bookkeeping, not data: nothing in the log projects into it. Frozen once released.
 */
export function deferredIndexesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('deferred_indexes')
        .addColumn('name', 'text', (c) => c.primaryKey().notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .execute()
    },
  }
}
