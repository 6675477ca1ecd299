import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { parseCodebook, type Codebook } from '@amanat/domain'

const require = createRequire(import.meta.url)

/** Where the default codebook's data file lives (packages/domain/codebook/default.yaml). */
export function defaultCodebookPath(): string {
  return require.resolve('@amanat/domain/codebook/default.yaml')
}

/** Reads and validates a codebook file; the default one when no path is given. */
export function readCodebook(path: string = defaultCodebookPath()): Codebook {
  const name = path.split('/').at(-1) ?? path
  return parseCodebook(readFileSync(path, 'utf8'), name)
}
