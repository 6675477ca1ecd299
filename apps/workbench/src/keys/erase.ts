import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { eraseRespondent, recordedErasure, recordedErasures, type ErasureReport } from '@amanat/database'
import { RespondentId } from '@amanat/domain'
import { openSearchIndex, SEARCH_INDEX_FILE, searchIndexKey } from '@amanat/search'
import { backupFolders, markSettingOf, writeErasureMarks } from './erasure-marks.ts'
import type { UnlockedWorkspace } from './unlock-keys.ts'
import { findRespondent } from './respondent-ref.ts'

/** What a workspace erasure did, for the command's output. */
export interface WorkspaceErasure extends ErasureReport {
  /** Whether a vault entry file was overwritten and removed. */
  readonly vaultEntryRemoved: boolean
  /** Whether the workspace's search index existed and has dropped the respondent's text. */
  readonly searchIndexPurged: boolean
  /** The backup folders the erasure was marked in (a restore from there erases again). */
  readonly markedIn: readonly string[]
  /** Backup folders that could not be reached: a restore from there would bring the respondent back. */
  readonly notMarkedIn: readonly string[]
}

/**
 * What erasure cannot reach, said in the command's output and in docs/erasure.md. The same
 * words in both places: an analyst must not believe more was destroyed than was.
 */
export const ERASURE_LIMITS: readonly string[] = [
  'backups made before now (amanat backup files) still hold the respondent: amanat restore erases them again from the marks left beside the backups (amanat-erasure-*.age files; keep them with the backups), but anyone opening such a backup by other means sees them; destroy old backups when they expire',
  'exports, reports, dossiers and travel copies already written are files of their own: this workspace cannot reach them',
  "PostgreSQL: deleted rows linger in dead tuples until VACUUM, and in the server's WAL archive, replicas and base backups",
  'on SSDs and copy-on-write filesystems old blocks of the (encrypted) files may survive; without the keys they stay unreadable',
]

/**
 * Erases a respondent from an unlocked workspace: overwrites and removes their vault entry, then
 * records the erasure and destroys their key (`eraseRespondent`, which also deletes every row of
 * theirs). `ref` is the respondent's key, pseudonym or id; the id alone also finishes an erasure
 * that was interrupted after it was recorded (the rows that carried the key are gone by then).
 */
export async function eraseInWorkspace(unlocked: UnlockedWorkspace, ref: string): Promise<WorkspaceErasure> {
  const { store, analyst } = unlocked.workspace
  const id = (await resumableId(unlocked, ref)) ?? (await findRespondent(store, ref)).id
  const vaultEntryRemoved = await unlocked.vault.remove(id)
  const report = await eraseRespondent(store, analyst.id, id)
  const searchIndexPurged = await purgeSearchIndex(unlocked)
  const marks = await markBackups(unlocked)
  return { ...report, vaultEntryRemoved, searchIndexPurged, ...marks }
}

/** Marks every erasure in the log beside each backup folder this workspace wrote to (erasure-marks.ts). */
async function markBackups(
  unlocked: UnlockedWorkspace,
): Promise<{ markedIn: string[]; notMarkedIn: string[] }> {
  const erased = [...(await recordedErasures(unlocked.workspace.store)).keys()]
  const setting = markSettingOf(unlocked)
  const markedIn: string[] = []
  const notMarkedIn: string[] = []
  for (const folder of backupFolders(unlocked.workspace.dir)) {
    try {
      if (!existsSync(folder)) throw new Error('not there')
      await writeErasureMarks(folder, erased, setting)
      markedIn.push(folder)
    } catch {
      notMarkedIn.push(folder)
    }
  }
  return { markedIn, notMarkedIn }
}

/**
 * The search index is a derived file of its own: catching it up with the log applies the
 * `respondent.erased` event there too (documents dropped, index merged, freed pages zeroed). Done
 * now rather than at the next search, so the erased text does not wait in the file. Deleting the
 * file instead would leave its (encrypted) pages on disk and the next search rebuilding it all.
 */
async function purgeSearchIndex(unlocked: UnlockedWorkspace): Promise<boolean> {
  const file = join(unlocked.workspace.dir, SEARCH_INDEX_FILE)
  if (!existsSync(file)) return false
  const key = searchIndexKey(unlocked.keys.storeKey)
  const index = openSearchIndex({ file, key, store: unlocked.workspace.store })
  try {
    await index.catchUp()
    return true
  } finally {
    index.close()
    key.fill(0)
  }
}

async function resumableId(unlocked: UnlockedWorkspace, ref: string): Promise<string | null> {
  const id = RespondentId.safeParse(ref.trim())
  if (!id.success) return null
  return (await recordedErasure(unlocked.workspace.store, id.data)) === null ? null : id.data
}
