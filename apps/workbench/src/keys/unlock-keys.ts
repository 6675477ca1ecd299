import type { WorkspaceKeys } from '@amanat/database'
import type { Terminal } from '../cli/terminal.ts'
import { Vault } from '../vault/vault.ts'
import { openWorkspaceWithKeys, readWorkspaceConfig, type Workspace } from '../workspace/workspace.ts'

/** An open workspace with its derived keys and its vault. Close it when done. */
export interface UnlockedWorkspace {
  readonly workspace: Workspace
  readonly keys: WorkspaceKeys
  readonly vault: Vault
  close(): Promise<void>
}

/**
 * Opens a workspace for the key-handling commands (erase, backup, dossier), which need the
 * derived keys themselves and not only the store: asks for the passphrase once (or reads
 * AMANAT_PASSPHRASE), opens the workspace, and derives its keys for the vault and the backup.
 */
export async function unlockWithKeys(dir: string, terminal: Terminal): Promise<UnlockedWorkspace> {
  const config = readWorkspaceConfig(dir)
  if (config.testOnly) {
    terminal.warn('this workspace uses TEST-ONLY weak key derivation; never put real testimonies in it.')
  }
  const passphrase = await terminal.passphrase(`Passphrase for ${config.name}`, 'AMANAT_PASSPHRASE')
  const { workspace, keys } = await openWorkspaceWithKeys(dir, passphrase)
  const vault = new Vault(workspace.dir, keys.vaultKey, workspace.store)
  return {
    workspace,
    keys,
    vault,
    async close() {
      vault.close()
      // The store was opened with these same key buffers: close it before they are zeroed.
      await workspace.close()
      for (const key of [keys.storeKey, keys.subjectKek, keys.vaultKey]) key.fill(0)
    },
  }
}
