import { join } from 'node:path'
import { openSearchIndex, SEARCH_INDEX_FILE, searchIndexKey, type SearchIndex } from '@amanat/search'
import { openIntakeSessionWithKeys, type IntakeSession } from '../intake/intake-session.ts'
import { Vault } from '../vault/vault.ts'
import type { Workspace } from '../workspace/workspace.ts'

/**
 * A workspace as the workbench holds it while unlocked: the store with the analyst identity (an
 * intake session, as `amanat pull` opens it, so the page can pull), the vault (for the story check
 * of a report built from the page), and the search index's key (derived from the store key), with
 * the index itself opened on the first search. `close()` closes all of it and zeroes the keys:
 * that is the lock.
 */
export interface OpenedWorkspace {
  readonly workspace: Workspace
  readonly intake: IntakeSession
  readonly vault: Vault
  /** The workspace's search index, opened (and caught up by its first search) on first use. */
  search(): SearchIndex
  close(): Promise<void>
}

/**
 * Opens the workspace in `dir` with `passphrase`, the same way `amanat pull` does (a wrong
 * passphrase is input `workspace.wrong_passphrase`), deriving the keys once for the store, the
 * search index and the vault.
 */
export async function openForWorkbench(dir: string, passphrase: string): Promise<OpenedWorkspace> {
  const { session: intake, keys } = await openIntakeSessionWithKeys(dir, passphrase)
  const { workspace } = intake
  const searchKey = searchIndexKey(keys.storeKey)
  const vault = new Vault(workspace.dir, keys.vaultKey, workspace.store)
  let index: SearchIndex | null = null
  return {
    workspace,
    intake,
    vault,
    search: () =>
      (index ??= openSearchIndex({
        file: join(workspace.dir, SEARCH_INDEX_FILE),
        key: searchKey,
        store: workspace.store,
      })),
    close: async () => {
      index?.close()
      index = null
      searchKey.fill(0)
      vault.close()
      await intake.close()
      for (const key of [keys.storeKey, keys.subjectKek, keys.vaultKey]) key.fill(0)
    },
  }
}
