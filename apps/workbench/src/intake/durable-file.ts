import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * Replaces `path` with `data` so that a crash leaves either the old file or the new one: written
 * under a temporary name with owner-only permissions, flushed, renamed, and the folder flushed.
 */
export function writeFileDurably(path: string, data: Uint8Array | string): void {
  const temporary = `${path}.${String(process.pid)}.tmp`
  writeFileSync(temporary, data, { mode: 0o600 })
  fsync(temporary)
  renameSync(temporary, path)
  fsync(dirname(path))
}

/**
 * Renames the finished folder `staging` onto `target` and flushes the parent folder. rename(2)
 * replaces an empty folder in one step and refuses one that is not empty, so nothing that arrived
 * in `target` after the caller checked it was empty (a second command making the same folder that
 * finished first, a file someone saved there) is ever removed: `refused()` is thrown instead,
 * and `staging` is left for the caller to clean up.
 */
export function moveFolderIntoPlace(staging: string, target: string, refused: () => Error): void {
  try {
    renameSync(staging, target)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOTEMPTY' || code === 'EEXIST') throw refused()
    // Windows renames nothing onto a folder: remove it first, only while it is empty.
    if (code !== 'EPERM' || !existsSync(target)) throw error
    try {
      rmdirSync(target)
    } catch {
      throw refused()
    }
    renameSync(staging, target)
  }
  fsync(dirname(target))
}

function fsync(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
