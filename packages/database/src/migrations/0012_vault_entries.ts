import type { Kysely, Migration } from 'kysely'
import type { ColumnTypes } from './column-types.ts'

/**
 * `vault_entries` (schema/vault.table.ts): the sealed vault entries of a team's PostgreSQL
 * workspace, shared by its analysts. Created on both dialects so the schemas stay the same; an
 * embedded workspace keeps its entries as files and leaves the table empty. Frozen once released.
 */
export function vaultEntriesMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('vault_entries')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('sealed', types.bytes, (c) => c.notNull())
        .execute()
    },
  }
}
