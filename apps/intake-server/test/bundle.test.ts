import { readFileSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildBundle, BUNDLE } from './support/child-server.ts'

/**
 * The intake server cannot decrypt: not by convention, but because no decryption code is in the
 * bundle it runs as (ARCHITECTURE.md rule 2). esbuild's metafile lists every source file that
 * went into dist/server.mjs; none may be age-encryption (it holds a Decrypter), anything of
 * @amanat/crypto (its `open` subpath decrypts; the server needs none of it), the workspace store
 * (@amanat/database) or the workbench.
 */

interface Metafile {
  readonly inputs: Readonly<Record<string, unknown>>
  readonly outputs: Readonly<Record<string, { readonly imports: readonly { readonly path: string; readonly external?: boolean }[] }>>
}

const FORBIDDEN = [/node_modules\/age-encryption\//, /packages\/crypto\//, /packages\/database\//, /apps\/workbench\//, /node_modules\/@noble\//]
/** What the bundle may load from outside itself: Node's own modules and the drivers' native parts. */
const allowedExternal = (path: string) => isBuiltin(path) || path === 'better-sqlite3-multiple-ciphers' || path === 'pg-native'

/** The forbidden inputs of a metafile, and externals that are not allowed. */
function decryptionReach(metafile: Metafile): { forbidden: string[]; externals: string[] } {
  const forbidden = Object.keys(metafile.inputs).filter((input) => FORBIDDEN.some((pattern) => pattern.test(input)))
  const externals = Object.values(metafile.outputs)
    .flatMap((output) => output.imports)
    .filter((i) => i.external === true && !allowedExternal(i.path))
    .map((i) => i.path)
  return { forbidden, externals }
}

describe('the intake server bundle', () => {
  it('holds no decryption code and loads nothing else from outside', () => {
    buildBundle()
    const metafile = JSON.parse(readFileSync(BUNDLE.replace(/\.mjs$/, '.meta.json'), 'utf8')) as Metafile
    expect(Object.keys(metafile.inputs).some((input) => input.includes('apps/intake-server/src/main.ts'))).toBe(true)
    expect(Object.keys(metafile.inputs).some((input) => input.includes('packages/domain/src/intake/wire.ts'))).toBe(true)
    expect(decryptionReach(metafile)).toEqual({ forbidden: [], externals: [] })
    expect(readFileSync(BUNDLE, 'utf8')).not.toMatch(/AGE-SECRET-KEY|Decrypter|unwrapFileKey/)
  })

  it('would be caught importing age-encryption', async () => {
    const { build } = await import('esbuild')
    // A deliberately wrong entry point, given as text so that no file in this app imports age-encryption.
    const result = await build({
      stdin: {
        contents: "import { Decrypter } from 'age-encryption'\nexport const decrypter = new Decrypter()\n",
        resolveDir: join(import.meta.dirname, '..', '..', '..', 'packages', 'crypto'),
        loader: 'ts',
      },
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
    })
    expect(decryptionReach(result.metafile).forbidden.length).toBeGreaterThan(0)
  })
})
