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
  // Kysely's own words when the recorded migrations are not this version's (a newer store, say).
  const mismatch = error instanceof Error && error.message.startsWith('corrupted migrations')
  throw new AmanatError(
    'integrity',
    'workspace.migration_failed',
    failed !== null
      ? `The workspace could not be upgraded (migration ${failed} failed). Nothing was changed.`
      : mismatch
        ? 'The workspace could not be upgraded: its recorded schema history does not match this version. Nothing was changed.'
        : `The workspace could not be upgraded: reading its schema history failed (${error instanceof Error ? error.message : 'unknown error'}). Nothing was changed.`,
    { migration: failed },
    { cause: error },
  )
}
