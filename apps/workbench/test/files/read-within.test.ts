import { spawnSync } from 'node:child_process'
import { truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isAmanatError } from '@amanat/domain'
import { describe, expect, it } from 'vitest'
import { readFileWithin } from '../../src/files/read-within.ts'
import { JSON_FILE_LIMIT } from '../../src/transfer/row-sources.ts'
import { PASSPHRASES, amanat, tempDir } from '../support.ts'
import { newWorkspace } from '../transfer/support.ts'

/** Files read whole are bounded: a larger one is refused with a stable code, not an internal error. */

function refusal(run: () => unknown): string {
  try {
    run()
    return 'read'
  } catch (error) {
    if (!isAmanatError(error)) throw error
    return `${error.code}: ${error.message}`
  }
}

describe('reading a whole file within a limit', () => {
  it('reads a file up to the limit and refuses one byte more, from a file or a pipe', () => {
    const dir = tempDir()
    const file = join(dir, 'ten')
    writeFileSync(file, '0123456789')
    expect(readFileWithin(file, 10, 'advice').toString()).toBe('0123456789')
    expect(refusal(() => readFileWithin(file, 9, 'do this instead'))).toBe(
      `import.too_large: ${file} is larger than 9 bytes, the most read whole: do this instead.`,
    )
    expect(refusal(() => readFileWithin(join(dir, 'missing'), 10, 'advice'))).toMatch(/^file\.unreadable: /)
    // Standard input, where the size is known only by reading: a child process reads a pipe.
    const child = (input: string, limit: number) =>
      spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '-e',
          `import('${fileURLToPath(new URL('../../src/files/read-within.ts', import.meta.url))}').then(({ readFileWithin }) => { try { process.stdout.write(String(readFileWithin('-', ${String(limit)}, 'x').length)) } catch (e) { process.stdout.write(e.code) } })`,
        ],
        { input, encoding: 'utf8' },
      ).stdout
    expect(child('a'.repeat(5 * 1024 * 1024), 5 * 1024 * 1024)).toBe(String(5 * 1024 * 1024))
    expect(child('a'.repeat(5 * 1024 * 1024 + 1), 5 * 1024 * 1024)).toBe('import.too_large')
  })

  it('refuses a JSON import larger than JSON_FILE_LIMIT with import.too_large, before reading it', async () => {
    const workspace = await newWorkspace()
    const file = join(tempDir(), 'huge.json')
    writeFileSync(file, '[')
    truncateSync(file, JSON_FILE_LIMIT + 1)
    const result = await amanat(['import', file, '--workspace', workspace], PASSPHRASES)
    expect(result.code).toBe(1)
    expect(result.stderr.at(-1)).toMatch(
      /^amanat: import\.too_large: .*huge\.json is larger than 256 MiB, the most read whole: save it as CSV, which is read as it streams\.$/,
    )
  })
})
