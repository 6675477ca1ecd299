import { openWorkspace, readWorkspaceConfig, type Workspace } from '../workspace/workspace.ts'
import type { Terminal } from './terminal.ts'

/**
 * Opens a workspace for a command: reads its configuration first (so a missing workspace is
 * reported before anyone is asked for a passphrase), warns about test-only settings, then asks
 * for the passphrase (or reads AMANAT_PASSPHRASE).
 */
export async function unlockWorkspace(dir: string, terminal: Terminal): Promise<Workspace> {
  const config = readWorkspaceConfig(dir)
  if (config.testOnly) {
    terminal.warn('this workspace uses TEST-ONLY weak key derivation; never put real testimonies in it.')
  }
  const passphrase = await terminal.passphrase(`Passphrase for ${config.name}`, 'AMANAT_PASSPHRASE')
  return openWorkspace(dir, passphrase)
}
