import type { Migration, MigrationProvider } from 'kysely'
import { initialMigration } from './0001_initial.ts'
import type { ColumnTypes } from './column-types.ts'

/**
 * Every migration, by name, in order. Names sort in the order they run (`0001_initial`,
 * `0002_…`); Kysely refuses a workspace that recorded a migration this list lacks (a workspace
 * written by a newer version).
 */
export function workspaceMigrations(types: ColumnTypes): Record<string, Migration> {
  return {
    '0001_initial': initialMigration(types),
  }
}

/** A Kysely provider over an in-code list: migrations ship inside the package, not as loose files. */
export function inCodeProvider(migrations: Record<string, Migration>): MigrationProvider {
  return { getMigrations: () => Promise.resolve(migrations) }
}
