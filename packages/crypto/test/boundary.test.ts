import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

/**
 * The trust boundary, checked from the code rather than trusted to convention: nothing reachable
 * from the main entry decrypts or signs, and no source file needs Node.
 */
const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src')
const ALLOWED_PACKAGES = [
  '@amanat/domain',
  '@noble/curves/',
  '@noble/hashes/',
  '@scure/base',
  'age-encryption',
]

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  )
}

/** Source without comments and string contents, so prose cannot trip the checks. */
function codeOf(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
}

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'/g)].map(
    (m) => m[1] ?? '',
  )
}

function reachableFrom(entry: string): Set<string> {
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const specifier of importsOf(file))
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier))
  }
  visit(entry)
  return seen
}

describe('package boundary', () => {
  const mainGraph = reachableFrom(join(src, 'index.ts'))

  it('keeps open.ts and src/open/ out of the main entry’s import graph', () => {
    expect(mainGraph.size).toBeGreaterThan(5)
    const reached = [...mainGraph].map((file) => relative(src, file))
    expect(reached.filter((file) => file === 'open.ts' || file.startsWith('open/'))).toEqual([])
  })

  it('uses no age Decrypter and no signing outside src/open/', () => {
    for (const file of mainGraph) {
      const code = codeOf(file)
      expect(code, relative(src, file)).not.toMatch(/\bDecrypter\b|\baddPassphrase\b|ed25519\.sign\b/)
    }
  })

  it('imports no Node built-ins and only the declared packages, and never touches Buffer or process', () => {
    for (const file of sourceFiles(src)) {
      for (const specifier of importsOf(file)) {
        if (specifier.startsWith('.')) continue
        expect(
          ALLOWED_PACKAGES.some((allowed) => specifier.startsWith(allowed)),
          `${relative(src, file)}: ${specifier}`,
        ).toBe(true)
      }
      expect(codeOf(file), relative(src, file)).not.toMatch(/\bBuffer\b|\bprocess\b|\brequire\(/)
    }
  })

  const bundle = (entry: string) =>
    build({
      entryPoints: [join(src, entry)],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    })

  it('bundles the main entry for the browser without any decryption code', async () => {
    const result = await bundle('index.ts')
    const inputs = Object.keys(result.metafile.inputs)
    expect(inputs.some((input) => input.includes('age-encryption'))).toBe(true)
    expect(inputs.filter((input) => /crypto\/src\/open/.test(input))).toEqual([])
    const code = result.outputFiles[0]?.text ?? ''
    // age-encryption's Decrypter and the scrypt unwrapping are tree-shaken away with nothing using them.
    expect(code).not.toContain('no identity matched any of the file')
    expect(code).not.toContain('scrypt recipient is not the only one')
    // The control: the ./open entry does carry them, so the two checks above can fail.
    const open = (await bundle('open.ts')).outputFiles[0]?.text ?? ''
    expect(open).toContain('no identity matched any of the file')
    expect(open).toContain('scrypt recipient is not the only one')
  })
})
