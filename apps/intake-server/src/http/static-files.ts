import { readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join, relative, sep } from 'node:path'
import { constants, gzipSync } from 'node:zlib'
import { AmanatError } from '@amanat/domain'

/**
 * The questionnaire page's built files, read into memory once at startup: requests never touch
 * the file system (no path from a request is ever joined to a directory), and what is served
 * cannot change under a running server.
 */

export interface StaticFile {
  readonly body: Buffer
  readonly type: string
  /**
   * The same bytes gzip-compressed once at load time, for text types (null otherwise). Respondents
   * on slow links and Tor download a third of the page; the files are public, so compressing them
   * reveals nothing (no secret shares a compression context with attacker-chosen text).
   */
  readonly gzip: Buffer | null
}

const COMPRESSIBLE = /^(text\/|application\/(json|manifest\+json)|image\/svg\+xml)/

/** Request path (`/assets/app.js`) to file. `/` serves `/index.html`. */
export type StaticFiles = ReadonlyMap<string, StaticFile>

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
}

const MAX_TOTAL_BYTES = 64 * 1024 * 1024

/**
 * Loads every file under `dir` (dot-files and directories skipped).
 *
 * @throws AmanatError usage `intake.bad_static_dir` when `dir` is not a readable directory, holds
 *   a file of a type not in the list above, or more than 64 MiB.
 */
export function loadStaticFiles(dir: string): StaticFiles {
  const files = new Map<string, StaticFile>()
  let total = 0
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue
      const path = join(at, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) {
        const type = TYPES[extname(entry.name).toLowerCase()]
        if (type === undefined) {
          throw new AmanatError('usage', 'intake.bad_static_dir', `The page directory holds a file of a type the server does not serve: ${entry.name}`)
        }
        const body = readFileSync(path)
        total += body.length
        const gzip = COMPRESSIBLE.test(type) ? gzipSync(body, { level: constants.Z_BEST_COMPRESSION }) : null
        files.set('/' + relative(dir, path).split(sep).join('/'), { body, type, gzip: gzip !== null && gzip.length < body.length ? gzip : null })
      }
    }
  }
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory')
    walk(dir)
  } catch (error) {
    if (error instanceof AmanatError) throw error
    throw new AmanatError('usage', 'intake.bad_static_dir', 'The --static directory cannot be read.', {}, { cause: error })
  }
  if (total > MAX_TOTAL_BYTES) throw new AmanatError('usage', 'intake.bad_static_dir', 'The page directory holds more than 64 MiB.')
  const index = files.get('/index.html')
  if (index !== undefined) files.set('/', index)
  return files
}
