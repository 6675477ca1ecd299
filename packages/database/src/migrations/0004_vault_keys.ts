import type { Kysely, Migration } from 'kysely'
import type { ColumnTypes } from './column-types.ts'

/**
 * Keys, erasure and the vault (helper KEYS): one row per respondent holding the key of their
 * vault entry (schema/vault.table.ts). Keyed by `respondent_no` like every respondent-owned table,
 * so erasure's delete finds it with the others.
 */
export function vaultKeysMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('vault_keys')
        .addColumn('respondent_no', types.seq, (c) => c.primaryKey().notNull())
        .addColumn('respondent_id', 'text', (c) => c.notNull())
        .addColumn('key', types.bytes, (c) => c.notNull())
        .execute()
    },
  }
}
