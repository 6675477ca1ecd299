import { closeSync, fsyncSync, openSync, renameSync, writeFileSync } from 'node:fs'
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

function fsync(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
