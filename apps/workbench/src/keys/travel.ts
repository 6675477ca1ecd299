import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { basename, dirname, join, resolve } from 'node:path'
import { snapshotStore } from '@amanat/database'
import { inputError } from '@amanat/domain'
import { SQLITE_STORE_FILE, WORKSPACE_CONFIG_FILE } from '../workspace/workspace-config.ts'
import type { Workspace } from '../workspace/workspace.ts'
import { fsyncDirectory, overwriteTree } from './files.ts'

/** What a travel copy leaves behind, for the command's output and docs/erasure.md. */
export const LEFT_BEHIND: readonly string[] = [
  'the vault (names, contact details, addresses, document numbers, invite-to-person links)',
  "the analyst's identity (no pulling or opening new submissions)",
  "the organisation's signing key (no publishing, no dossiers)",
  'the offline backup identity',
  'the search index and caches (rebuilt on first use)',
]

/**
 * Makes a travel copy (T18): a new folder holding only `workspace.json` and a consistent
 * snapshot of the store, which opens with the same passphrase for reading and coding. The vault,
 * every identity and key file, the search index and caches stay behind. Built under a temporary
 * name and renamed into place. Refuses a target that exists and is not empty.
 */
export async function makeTravelCopy(workspace: Workspace, out: string): Promise<{ dir: string }> {
  const target = resolve(out)
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw inputError(
      'travel.exists',
      `${target} exists and is not empty; a travel copy never writes over other files.`,
    )
  }
  const staging = join(dirname(target), `.${basename(target)}.travel-${randomBytes(6).toString('hex')}`)
  mkdirSync(staging, { recursive: true, mode: 0o700 })
  try {
    await snapshotStore(workspace.store, join(staging, SQLITE_STORE_FILE))
    copyFileSync(join(workspace.dir, WORKSPACE_CONFIG_FILE), join(staging, WORKSPACE_CONFIG_FILE))
    fsyncDirectory(staging)
    if (existsSync(target)) overwriteTree(target)
    renameSync(staging, target)
    fsyncDirectory(dirname(target))
  } catch (error) {
    if (existsSync(staging)) overwriteTree(staging)
    throw error
  }
  return { dir: target }
}
