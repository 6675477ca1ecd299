import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { inputError } from '@amanat/domain'

export const MiB = 1024 * 1024

/**
 * A whole file (or standard input, as `'-'`) read into memory, but never more than `limit` bytes:
 * a file from outside that is larger is refused as soon as that is clear, before it fills the
 * workbench's memory (or passes the longest string Node can make, which failed with an internal
 * error). Read in chunks, so a pipe or a file still growing is bounded too.
 *
 * Throws input `file.unreadable`, and input `import.too_large` naming `limit` and `advice` (what
 * to do instead).
 */
export function readFileWithin(path: string, limit: number, advice: string): Buffer {
  const name = path === '-' ? 'standard input' : path
  let fd: number
  try {
    fd = path === '-' ? 0 : openSync(path, 'r')
  } catch {
    throw inputError('file.unreadable', `Cannot read ${name}.`)
  }
  const tooLarge = () =>
    inputError(
      'import.too_large',
      `${name} is larger than ${limit < MiB ? `${String(limit)} bytes` : `${String(Math.round(limit / MiB))} MiB`}, the most read whole: ${advice}.`,
    )
  const chunks: Buffer[] = []
  let total = 0
  try {
    // A file that says it is too large is refused without reading it.
    if (fstatSync(fd).size > limit) throw tooLarge()
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(4 * MiB, limit + 1 - total))
      let read: number
      try {
        read = readSync(fd, chunk, 0, chunk.length, null)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue
        throw inputError('file.unreadable', `Cannot read ${name}.`)
      }
      if (read === 0) break
      chunks.push(chunk.subarray(0, read))
      total += read
      if (total > limit) throw tooLarge()
    }
  } finally {
    if (fd !== 0) closeSync(fd)
  }
  return Buffer.concat(chunks, total)
}
