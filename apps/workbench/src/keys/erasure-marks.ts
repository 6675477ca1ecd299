import { createHmac } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sealBytes } from '@amanat/crypto'
import { openBytes } from '@amanat/crypto/open'
import { RespondentId } from '@amanat/domain'
import { z } from 'zod'
import { writeFileDurably } from '../intake/durable-file.ts'
import type { UnlockedWorkspace } from './unlock-keys.ts'

/**
 * Erasures that survive a restore (docs/decisions/0027). A backup made before an erasure still
 * holds the respondent, and restoring it would bring them back. So every erasure leaves a mark
 * beside the backups: one small file per erased respondent, sealed to the same keys as the
 * backups (the offline backup identity and the analyst), holding only the workspace's signing
 * fingerprint and the respondent's random id. `amanat erase` writes it into every folder this
 * workspace has written a backup to; `amanat backup` writes the marks of every erasure in the log
 * beside the new backup; `amanat restore` erases again, before the restored folder is put in
 * place, every respondent a mark beside the backup names.
 *
 * Marks are only ever added, never rewritten, so an older copy of the workspace (restored from an
 * old backup) cannot drop one; their names come from a keyed hash of the id, so a folder listing
 * tells how many erasures there were and nothing about whom.
 */

export const ERASURE_MARK_PREFIX = 'amanat-erasure-'
const MARK_FORMAT = 'amanat-erasure/1'

/** The folders this workspace has written backups to, kept beside workspace.json (paths only). */
const BACKUP_FOLDERS_FILE = 'backup-folders.json'

const Mark = z
  .object({ format: z.literal(MARK_FORMAT), workspace: z.string().min(1), respondentId: RespondentId })
  .strict()

const BackupFolders = z.object({ folders: z.array(z.string().min(1)) }).strict()

/** Where the marks go and what they are sealed to: the workspace's own keys and public halves. */
export interface MarkSetting {
  /** The workspace's signing fingerprint: a mark names the workspace it belongs to. */
  readonly workspace: string
  /** The backups' recipients (the offline backup key and the analyst). */
  readonly recipients: readonly string[]
  /** A secret of the workspace, for the marks' file names (the vault key). */
  readonly nameKey: Uint8Array
}

/** The mark setting of an unlocked workspace: sealed to the same keys as its backups. */
export function markSettingOf(unlocked: UnlockedWorkspace): MarkSetting {
  const { keys } = unlocked.workspace.config
  return {
    workspace: keys.signingFingerprint,
    recipients: [keys.backupRecipient, keys.analystRecipient],
    nameKey: unlocked.keys.vaultKey,
  }
}

function markName(setting: MarkSetting, respondentId: string): string {
  const digest = createHmac('sha256', setting.nameKey)
    .update(`amanat-erasure-name\n${respondentId}`)
    .digest('hex')
  return `${ERASURE_MARK_PREFIX}${digest.slice(0, 32)}.age`
}

/** Writes into `folder` the marks of `respondentIds` it does not hold yet; returns how many it wrote. */
export async function writeErasureMarks(
  folder: string,
  respondentIds: readonly string[],
  setting: MarkSetting,
): Promise<number> {
  let written = 0
  for (const respondentId of respondentIds) {
    const file = join(folder, markName(setting, respondentId))
    if (existsSync(file)) continue
    const mark = { format: MARK_FORMAT, workspace: setting.workspace, respondentId }
    writeFileDurably(file, await sealBytes(Buffer.from(JSON.stringify(mark)), setting.recipients))
    written++
  }
  return written
}

/**
 * The respondents the marks in `folder` name for the workspace `workspace`, opened with
 * `identity` (the backup identity). Marks of other workspaces, or sealed to other keys, are not
 * this restore's and are passed over; a mark that opens but is not a mark is counted as damaged.
 */
export async function readErasureMarks(
  folder: string,
  workspace: string,
  identity: string,
): Promise<{ respondentIds: string[]; damaged: number }> {
  const respondentIds = new Set<string>()
  let damaged = 0
  const names = existsSync(folder)
    ? readdirSync(folder).filter((n) => n.startsWith(ERASURE_MARK_PREFIX) && n.endsWith('.age'))
    : []
  for (const name of names) {
    let plain: Uint8Array
    try {
      plain = await openBytes(readFileSync(join(folder, name)), [identity])
    } catch {
      continue
    }
    let mark: z.infer<typeof Mark> | null = null
    try {
      const parsed = Mark.safeParse(JSON.parse(Buffer.from(plain).toString('utf8')))
      mark = parsed.success ? parsed.data : null
    } catch {
      mark = null
    }
    if (mark === null) damaged++
    else if (mark.workspace === workspace) respondentIds.add(mark.respondentId)
  }
  return { respondentIds: [...respondentIds].sort(), damaged }
}

/** The backup folders recorded in the workspace folder `dir`. */
export function backupFolders(dir: string): string[] {
  const file = join(dir, BACKUP_FOLDERS_FILE)
  if (!existsSync(file)) return []
  try {
    const parsed = BackupFolders.safeParse(JSON.parse(readFileSync(file, 'utf8')))
    return parsed.success ? parsed.data.folders : []
  } catch {
    return []
  }
}

/** Records `folder` as one this workspace writes backups to. */
export function rememberBackupFolder(dir: string, folder: string): void {
  const folders = backupFolders(dir)
  if (folders.includes(folder)) return
  writeFileDurably(
    join(dir, BACKUP_FOLDERS_FILE),
    `${JSON.stringify({ folders: [...folders, folder] }, null, 2)}\n`,
  )
}
