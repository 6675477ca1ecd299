import { join } from 'node:path'
import type { WorkspaceStore } from '@amanat/database'
import { generateStudy, type TestimonyImportedBody } from '@amanat/synthetic'
import { readCodebook } from '../../src/workspace/codebook-file.ts'
import { createWorkspace } from '../../src/workspace/workspace.ts'
import { TEST_BACKUP_PASSPHRASE, TEST_PASSPHRASE, tempDir } from '../support.ts'

/**
 * The one way workbench tests make a workspace that already holds data: a test-only (weak KDF)
 * workspace in a fresh temporary folder, with a seeded synthetic study appended. A test that needs
 * particular content changes the study's bodies in `edit` before they are written.
 */
export interface TestWorkspaceOptions {
  /** How many synthetic respondents (default 20). */
  readonly respondents?: number
  /** The study's seed (default: one per folder, so two workspaces differ). */
  readonly seed?: string
  /** A PostgreSQL schema to hold the store instead of the SQLite file. */
  readonly postgres?: { url: string; schema: string }
  /** Rewrites the generated bodies before they are appended (as `system`). */
  readonly edit?: (study: TestimonyImportedBody[]) => Parameters<WorkspaceStore['appendBatch']>[1]
}

/** Creates the workspace, appends the study, closes it, and returns its folder. */
export async function createTestWorkspace(options: TestWorkspaceOptions = {}): Promise<string> {
  const dir = join(tempDir(), 'ws')
  const codebook = readCodebook()
  const workspace = await createWorkspace({
    dir,
    name: 'test workspace',
    passphrase: TEST_PASSPHRASE,
    backupPassphrase: TEST_BACKUP_PASSPHRASE,
    analystLabel: 'tester',
    codebook,
    testOnly: true,
    ...(options.postgres === undefined ? {} : { postgres: options.postgres }),
  })
  try {
    const study = [
      ...generateStudy({
        seed: options.seed ?? `test-${dir}`,
        respondents: options.respondents ?? 20,
        codebook,
      }),
    ]
    await workspace.store.appendBatch('system', options.edit === undefined ? study : options.edit(study))
  } finally {
    await workspace.close()
  }
  return dir
}
