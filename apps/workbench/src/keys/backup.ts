import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { basename, dirname, join, resolve } from 'node:path'
import { sealBytes } from '@amanat/crypto'
import { openBytes, unlockIdentity } from '@amanat/crypto/open'
import { eraseRespondent, openStore, recordedErasures, snapshotStore } from '@amanat/database'
import { inputError, integrityError, usageError } from '@amanat/domain'
import { moveFolderIntoPlace, writeFileDurably } from '../intake/durable-file.ts'
import { Vault, VAULT_DIR } from '../vault/vault.ts'
import { SQLITE_STORE_FILE, WORKSPACE_CONFIG_FILE } from '../workspace/workspace-config.ts'
import { readWorkspaceConfig } from '../workspace/workspace.ts'
import {
  packArchive,
  sha256Hex,
  unpackArchive,
  type ArchiveFile,
  type BackupManifest,
} from './backup-archive.ts'
import { markSettingOf, readErasureMarks, rememberBackupFolder, writeErasureMarks } from './erasure-marks.ts'
import { overwriteAndUnlink, overwriteTree } from './files.ts'
import type { UnlockedWorkspace } from './unlock-keys.ts'

/** The files of a workspace folder a backup carries besides the store snapshot and the vault. */
const KEY_FILES = [WORKSPACE_CONFIG_FILE, 'keys/analyst.age', 'keys/signing.age', 'backup-identity.age']

/** What a backup wrote. */
export interface BackupReport {
  readonly file: string
  readonly bytes: number
  readonly sha256: string
  readonly head: string
  readonly events: number
  readonly recipients: readonly string[]
}

/**
 * Writes a sealed backup of an embedded workspace (T20): a consistent snapshot of the store
 * (`VACUUM INTO`, which SQLite3MultipleCiphers writes under the same page key, so no plaintext
 * touches the disk), the vault, the key files and the derived keys, packed and sealed with age to
 * the offline backup identity and this analyst. The snapshot is opened and its chain verified
 * before anything is sealed; the backup is recorded in the log (`backup.made`).
 *
 * Throws usage `backup.postgres` for a PostgreSQL workspace (the server's own tools back it up),
 * input `backup.exists` when `out` exists, integrity `workspace.chain_broken` when the snapshot's
 * chain does not verify.
 */
export async function writeBackup(unlocked: UnlockedWorkspace, out: string): Promise<BackupReport> {
  const { workspace, keys } = unlocked
  if (workspace.config.store.dialect !== 'sqlite') {
    throw usageError(
      'backup.postgres',
      "A PostgreSQL workspace is backed up with the server's own tools (pg_dump, base backups); amanat backup covers embedded workspaces.",
    )
  }
  const file = resolve(out)
  if (existsSync(file))
    throw inputError('backup.exists', `${file} already exists; a backup never overwrites a file.`)
  const snapshot = join(workspace.dir, `.snapshot-${randomBytes(6).toString('hex')}.db`)
  try {
    await snapshotStore(workspace.store, snapshot)
    const chain = await verifySnapshot(snapshot, keys.storeKey, keys.subjectKek)
    const files: ArchiveFile[] = [
      ...KEY_FILES.map((path) => ({ path, bytes: readFileSync(join(workspace.dir, path)) })),
      ...vaultFiles(workspace.dir),
      { path: SQLITE_STORE_FILE, bytes: readFileSync(snapshot) },
    ]
    const packed = packArchive(
      {
        format: 1,
        workspaceName: workspace.config.name,
        createdAt: new Date().toISOString(),
        head: chain.head,
        events: chain.events,
        keys: {
          storeKey: Buffer.from(keys.storeKey).toString('base64'),
          subjectKek: Buffer.from(keys.subjectKek).toString('base64'),
          vaultKey: Buffer.from(keys.vaultKey).toString('base64'),
        },
      },
      files,
    )
    const setting = markSettingOf(unlocked)
    const { recipients } = setting
    const sealed = await sealBytes(packed, recipients)
    packed.fill(0)
    writeFileDurably(file, sealed)
    const sha256 = sha256Hex(sealed)
    await workspace.store.append(workspace.analyst.id, {
      kind: 'backup.made',
      sha256,
      head: chain.head,
      recipients: recipients.length,
    })
    // The erasures so far, marked beside the backup, and the folder remembered for later ones.
    const folder = dirname(file)
    await writeErasureMarks(folder, [...(await recordedErasures(workspace.store)).keys()], setting)
    rememberBackupFolder(workspace.dir, folder)
    return { file, bytes: sealed.length, sha256, head: chain.head, events: chain.events, recipients }
  } finally {
    for (const path of [snapshot, `${snapshot}-wal`, `${snapshot}-shm`])
      if (existsSync(path)) overwriteAndUnlink(path)
  }
}

/** What a restore did. */
export interface RestoreReport {
  readonly dir: string
  readonly workspaceName: string
  readonly head: string
  readonly events: number
  /** Respondents erased again from the marks beside the backup (erased after it was made). */
  readonly erasedAgain: number
  /** Whether any erasure mark lay beside the backup (none: erasures after it cannot be known). */
  readonly marksFound: boolean
}

/**
 * Restores a backup into a new folder on any machine, with nothing but the backup file, the
 * offline backup identity file and its passphrase: opens the archive, checks every file's hash,
 * writes the folder under a temporary name, opens the restored store with the keys the archive
 * carries and verifies its chain reaches the recorded head, and only then renames it into place.
 * The restored workspace opens with the same workspace passphrase as the original.
 *
 * Throws input `keys.wrong_passphrase`, input `restore.exists` (target not empty), integrity
 * `backup.corrupt` (the file is damaged or not a backup, or was not sealed to this identity),
 * integrity `workspace.chain_broken` (the restored chain does not verify or ends elsewhere).
 */
export async function restoreBackup(options: {
  readonly backup: string
  readonly identityFile: Uint8Array
  readonly backupPassphrase: string
  readonly to: string
}): Promise<RestoreReport> {
  const target = resolve(options.to)
  if (existsSync(target) && readdirSync(target).length > 0) throw restoreExists(target)()
  const { identity } = await unlockIdentity(options.identityFile, options.backupPassphrase)
  let packed: Uint8Array
  try {
    packed = await openBytes(readFileSync(resolve(options.backup)), [identity])
  } catch {
    throw integrityError(
      'backup.corrupt',
      'The backup cannot be opened with this identity: it is damaged, or was sealed to other keys.',
    )
  }
  const { manifest, files } = unpackArchive(packed)
  const staging = join(dirname(target), `.${basename(target)}.restoring-${randomBytes(6).toString('hex')}`)
  try {
    for (const file of files) {
      mkdirSync(dirname(join(staging, file.path)), { recursive: true, mode: 0o700 })
      writeFileDurably(join(staging, file.path), file.bytes)
    }
    const chain = await verifySnapshot(
      join(staging, SQLITE_STORE_FILE),
      key(manifest, 'storeKey'),
      key(manifest, 'subjectKek'),
    )
    if (chain.head !== manifest.head || chain.events !== manifest.events) {
      throw integrityError(
        'workspace.chain_broken',
        'The restored event log does not end at the head the backup recorded.',
      )
    }
    // Respondents erased after this backup was made are erased again before anyone can open it.
    const backupFolder = dirname(resolve(options.backup))
    const { keys } = readWorkspaceConfig(staging)
    const marks = await readErasureMarks(backupFolder, keys.signingFingerprint, identity)
    const again = await eraseAgain(staging, manifest, marks.respondentIds)
    moveFolderIntoPlace(staging, target, restoreExists(target))
    rememberBackupFolder(target, backupFolder)
    return {
      dir: target,
      workspaceName: manifest.workspaceName,
      head: again?.head ?? manifest.head,
      events: again?.events ?? manifest.events,
      erasedAgain: again?.erased ?? 0,
      marksFound: marks.respondentIds.length > 0 || marks.damaged > 0,
    }
  } catch (error) {
    if (existsSync(staging)) overwriteTree(staging)
    throw error
  }
}

/**
 * Erases in the restored folder `dir` every respondent of `respondentIds` it still holds: their
 * vault entry, their rows and their key, as `amanat erase` does, recorded by `system`.
 */
async function eraseAgain(
  dir: string,
  manifest: BackupManifest,
  respondentIds: readonly string[],
): Promise<{ erased: number; head: string; events: number } | null> {
  if (respondentIds.length === 0) return null
  const store = await openStore({
    dialect: 'sqlite',
    file: join(dir, SQLITE_STORE_FILE),
    storeKey: key(manifest, 'storeKey'),
    subjectKek: key(manifest, 'subjectKek'),
  })
  const vault = new Vault(dir, key(manifest, 'vaultKey'), store)
  try {
    const erased = await recordedErasures(store)
    let count = 0
    for (const id of respondentIds) {
      if (erased.has(id)) continue
      // Not in this backup at all (came and went after it): nothing of theirs to erase.
      if ((await store.respondentNo(id)) === null) continue
      await vault.remove(id)
      await eraseRespondent(store, 'system', id)
      count++
    }
    if (count === 0) return null
    const chain = await store.verify()
    if (!chain.ok) throw integrityError('workspace.chain_broken', 'The restored event log does not verify after the erasures made since the backup.')
    return { erased: count, head: chain.head, events: chain.events }
  } finally {
    vault.close()
    await store.close()
  }
}

function restoreExists(target: string): () => Error {
  return () => inputError('restore.exists', `${target} exists and is not empty; a restore never writes over other files.`)
}

function key(manifest: BackupManifest, name: keyof BackupManifest['keys']): Uint8Array {
  return Buffer.from(manifest.keys[name], 'base64')
}

async function verifySnapshot(
  file: string,
  storeKey: Uint8Array,
  subjectKek: Uint8Array,
): Promise<{ head: string; events: number }> {
  const store = await openStore({ dialect: 'sqlite', file, storeKey, subjectKek })
  try {
    await store.checkIntegrity()
    const report = await store.verify()
    if (!report.ok) {
      throw integrityError(
        'workspace.chain_broken',
        `The snapshot's event log is broken at event ${String(report.firstBroken.seq)}.`,
      )
    }
    return { head: report.head, events: report.events }
  } finally {
    await store.close()
  }
}

function vaultFiles(dir: string): ArchiveFile[] {
  const vault = join(dir, VAULT_DIR)
  if (!existsSync(vault)) return []
  return readdirSync(vault)
    .filter((name) => name.endsWith('.entry'))
    .sort()
    .map((name) => ({ path: `${VAULT_DIR}/${name}`, bytes: readFileSync(join(vault, name)) }))
}
