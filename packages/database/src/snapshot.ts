import { usageError } from '@amanat/domain'
import { sql } from 'kysely'
import type { WorkspaceStore } from './store.ts'

/**
 * Writes a consistent copy of an embedded store to `file` with `VACUUM INTO`: one read
 * transaction, so the copy is the store as of one commit even while writes continue. The copy is
 * written under the same page key (SQLite3MultipleCiphers encrypts the target like its source), so
 * a backup never puts plaintext on disk. Free pages are not copied.
 *
 * Throws usage `snapshot.postgres` on PostgreSQL (its server's own tools make base backups).
 */
export async function snapshotStore(store: WorkspaceStore, file: string): Promise<void> {
  if (store.dialect !== 'sqlite') {
    throw usageError(
      'snapshot.postgres',
      "A PostgreSQL workspace is copied with the server's own tools (pg_dump, base backups).",
    )
  }
  await sql`vacuum into ${file}`.execute(store.db)
}
