import type { Migration, MigrationProvider } from 'kysely'
import { initialMigration } from './0001_initial.ts'
import type { ColumnTypes } from './column-types.ts'
import { workflowMigration } from './0002_workflow.ts'
import { releasesMigration } from './0003_releases.ts'
import { vaultKeysMigration } from './0004_vault_keys.ts'
import { importMigration } from './0005_import.ts'
import { storiesMigration } from './0006_stories.ts'
import { deferredIndexesMigration } from './0007_deferred_indexes.ts'
import { erasureLeftoversMigration } from './0008_erasure_leftovers.ts'
import { intakePullsMigration } from './0009_intake_pulls.ts'
import { erasedRespondentsMigration } from './0010_erased_respondents.ts'
import { writtenSeqMigration } from './0011_written_seq.ts'
import { vaultEntriesMigration } from './0012_vault_entries.ts'

/**
 * Every migration, by name, in order. Names sort in the order they run (`0001_initial`,
 * `0002_…`); Kysely refuses a workspace that recorded a migration this list lacks (a workspace
 * written by a newer version).
 */
export function workspaceMigrations(types: ColumnTypes): Record<string, Migration> {
  return {
    '0001_initial': initialMigration(types),
    '0002_workflow': workflowMigration(types),
    '0003_releases': releasesMigration(types),
    '0004_vault_keys': vaultKeysMigration(types),
    '0005_import': importMigration(),
    '0006_stories': storiesMigration(types),
    '0007_deferred_indexes': deferredIndexesMigration(),
    '0008_erasure_leftovers': erasureLeftoversMigration(),
    '0009_intake_pulls': intakePullsMigration(types),
    '0010_erased_respondents': erasedRespondentsMigration(types),
    '0011_written_seq': writtenSeqMigration(types),
    '0012_vault_entries': vaultEntriesMigration(types),
  }
}

/** A Kysely provider over an in-code list: migrations ship inside the package, not as loose files. */
export function inCodeProvider(migrations: Record<string, Migration>): MigrationProvider {
  return { getMigrations: () => Promise.resolve(migrations) }
}
