import { dirname, resolve } from 'node:path'
import { readWorkspaceConfig } from '../workspace/workspace.ts'
import { fsyncDirectory, overwriteTree } from './files.ts'

/** What overwriting cannot promise, said in the command's output and in docs/erasure.md. */
export const WIPE_LIMITS: readonly string[] = [
  'SSDs and flash remap writes: the old blocks of a file may survive in spare areas until the drive reuses them',
  'copy-on-write and snapshotting filesystems (btrfs, ZFS, APFS, VM or cloud snapshots) and backups keep earlier copies',
  'every file was encrypted (store, vault, identities), so what survives is ciphertext: keep the passphrases off this device',
  'for a PostgreSQL workspace only this folder is wiped; the schema on the server is not touched',
]

/**
 * Wipes a workspace folder (T18's travel wipe): every file in it (the store and its `-wal` and
 * `-shm`, the vault, identities, the search index, caches, anything else) is overwritten with
 * random bytes, flushed and unlinked, then the folders are removed. Needs no passphrase (it must
 * work in a hurry and for a forgotten one) but refuses a folder that is not a workspace, so a
 * mistyped path cannot wipe something else.
 *
 * Throws input `workspace.not_found` / integrity `workspace.config_invalid` for a folder that is
 * not a workspace.
 */
export function wipeWorkspace(dir: string): { dir: string; files: number; bytes: number } {
  const root = resolve(dir)
  readWorkspaceConfig(root)
  const { files, bytes } = overwriteTree(root)
  fsyncDirectory(dirname(root))
  return { dir: root, files, bytes }
}
