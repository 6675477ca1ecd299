import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SigningKey } from '@amanat/crypto'
import { unlockIdentity, unlockSigningKey, type UnlockedIdentity } from '@amanat/crypto/open'
import type { Terminal } from '../cli/terminal.ts'
import type { WorkspaceKeys } from '@amanat/database'
import { openWorkspaceWithKeys, readWorkspaceConfig, type Workspace } from '../workspace/workspace.ts'

/**
 * A workspace opened for intake work: the store, and the analyst identity unlocked with the same
 * passphrase (asked once). The identity lives in memory only, for this command.
 */
export interface IntakeSession {
  readonly workspace: Workspace
  readonly analyst: UnlockedIdentity
  /** Unlocks the organisation signing key (sealed to the analyst identity; no second passphrase). */
  signingKey(): Promise<SigningKey>
  close(): Promise<void>
}

/**
 * Opens the workspace in `dir` as `unlockWorkspace` does (configuration first, the test-only
 * warning, then the passphrase from the prompt or AMANAT_PASSPHRASE), and unlocks the analyst
 * identity.
 *
 * @throws AmanatError input `workspace.not_found` / `workspace.wrong_passphrase`, integrity
 *   `keys.corrupt` for a damaged key file, and the store's errors.
 */
export async function openIntakeSession(dir: string, terminal: Terminal): Promise<IntakeSession> {
  const config = readWorkspaceConfig(dir)
  if (config.testOnly) {
    terminal.warn('this workspace uses TEST-ONLY weak key derivation; never put real testimonies in it.')
  }
  const passphrase = await terminal.passphrase(`Passphrase for ${config.name}`, 'AMANAT_PASSPHRASE')
  return openIntakeSessionWith(dir, passphrase)
}

/** {@link openIntakeSession} with the passphrase already known (the demo reads it from its file). */
export async function openIntakeSessionWith(dir: string, passphrase: string): Promise<IntakeSession> {
  return (await openIntakeSessionWithKeys(dir, passphrase)).session
}

/**
 * {@link openIntakeSessionWith} for a caller that also needs the workspace's derived keys (the
 * workbench UI: the search index and the vault), so the passphrase's key derivation runs once.
 * The store was opened with the same key buffers: zero them only after the session is closed.
 */
export async function openIntakeSessionWithKeys(
  dir: string,
  passphrase: string,
): Promise<{ readonly session: IntakeSession; readonly keys: WorkspaceKeys }> {
  const { workspace, keys } = await openWorkspaceWithKeys(dir, passphrase)
  try {
    const analyst = await unlockIdentity(readFileSync(join(workspace.dir, 'keys', 'analyst.age')), passphrase)
    const session: IntakeSession = {
      workspace,
      analyst,
      signingKey: () =>
        unlockSigningKey(readFileSync(join(workspace.dir, 'keys', 'signing.age')), analyst.identity),
      close: () => workspace.close(),
    }
    return { session, keys }
  } catch (error) {
    await workspace.close()
    throw error
  }
}
