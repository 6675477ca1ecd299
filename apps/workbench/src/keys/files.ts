import {
  closeSync,
  existsSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { randomFillSync } from 'node:crypto'
import { join } from 'node:path'

const CHUNK = 1 << 20

/**
 * Overwrites a file in place with random bytes, flushes it, then unlinks it. On a spinning disk
 * or a plain ext4 volume this replaces the blocks that held the content; on SSDs (wear levelling,
 * over-provisioning) and copy-on-write or journaling-of-data filesystems (btrfs, ZFS, APFS,
 * ext4 data=journal) the old blocks may survive elsewhere, which is why the workspace is
 * encrypted in the first place and why `docs/erasure.md` says so. Returns the bytes overwritten.
 */
export function overwriteAndUnlink(path: string): number {
  const stat = lstatSync(path)
  if (!stat.isFile()) {
    unlinkSync(path)
    return 0
  }
  const fd = openSync(path, 'r+')
  try {
    const buffer = Buffer.alloc(Math.min(CHUNK, Math.max(stat.size, 1)))
    for (let at = 0; at < stat.size; at += buffer.length) {
      const length = Math.min(buffer.length, stat.size - at)
      randomFillSync(buffer, 0, length)
      writeSync(fd, buffer, 0, length, at)
    }
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  unlinkSync(path)
  return stat.size
}

/** {@link overwriteAndUnlink} for every file below `dir`, then removes the folders. Returns files and bytes. */
export function overwriteTree(dir: string): { files: number; bytes: number } {
  let files = 0
  let bytes = 0
  if (!existsSync(dir)) return { files, bytes }
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (lstatSync(path).isDirectory()) {
      const inner = overwriteTree(path)
      files += inner.files
      bytes += inner.bytes
    } else {
      bytes += overwriteAndUnlink(path)
      files += 1
    }
  }
  rmdirSync(dir)
  return { files, bytes }
}

/** Flushes a folder's entries (after renames or unlinks in it). */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
