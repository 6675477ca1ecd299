import { AmanatError } from '@amanat/domain'
import { Migrator, type Kysely, type Migration } from 'kysely'
import { inCodeProvider } from './migrations/index.ts'
import type { Database } from './schema/database.ts'

/**
 * Brings the store to the newest schema, all pending migrations in one transaction (both dialects
 * run DDL transactionally), so a failure leaves the store exactly as it was (T19: a failed upgrade
 * aborts, it never re-initialises). Throws integrity `workspace.migration_failed`, naming the
 * migration; the underlying error stays in `cause`.
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  migrations: Record<string, Migration>,
  schema: string | null,
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: inCodeProvider(migrations),
    ...(schema === null ? {} : { migrationTableSchema: schema }),
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error === undefined) return
  const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? null
  throw new AmanatError(
    'integrity',
    'workspace.migration_failed',
    upgradeFailure(failed, error),
    { migration: failed },
    { cause: error },
  )
}

/** Why an upgrade failed, in words: a migration threw, the history is not this version's, or it could not be read. */
function upgradeFailure(failed: string | null, error: unknown): string {
  if (failed !== null)
    return `The workspace could not be upgraded (migration ${failed} failed). Nothing was changed.`
  // Kysely's own words when the recorded migrations are not this version's (a newer store, say).
  if (error instanceof Error && error.message.startsWith('corrupted migrations'))
    return 'The workspace could not be upgraded: its recorded schema history does not match this version. Nothing was changed.'
  const reason = error instanceof Error ? error.message : 'unknown error'
  return `The workspace could not be upgraded: reading its schema history failed (${reason}). Nothing was changed.`
}
