import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Metafile } from 'esbuild'
import { buildQuestionnairePage, PAGE_FILES, type PageManifest } from '../build.mjs'

/**
 * The page as built (SECURITY-TESTS.md T22, and the parts of T14 that can be read from the files):
 * reproducible to the bit, listed in its manifest, nothing inline for the CSP to allow, no
 * third-party URL, no module the page is not allowed to contain.
 */

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const dirs: string[] = []
let first: { dir: string; manifest: PageManifest; metafile: Metafile }

async function buildInto(options: Parameters<typeof buildQuestionnairePage>[1] = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'amanat-q-build-'))
  dirs.push(dir)
  return { dir, ...(await buildQuestionnairePage(dir, options)) }
}

beforeAll(async () => {
  first = await buildInto()
})
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const read = (name: string) => readFileSync(join(first.dir, name))

describe('buildQuestionnairePage', () => {
  it('gives bit-identical files in two clean builds, and a manifest of their SHA-256s', () => {
    // The second build runs in its own process, as a verifier rebuilding the page would.
    const second = { dir: mkdtempSync(join(tmpdir(), 'amanat-q-build-')) }
    dirs.push(second.dir)
    execFileSync(process.execPath, [new URL('../build.mjs', import.meta.url).pathname, second.dir], { stdio: 'ignore' })
    expect(readdirSync(first.dir).sort()).toEqual([...PAGE_FILES, 'manifest.json'].sort())
    for (const name of [...PAGE_FILES, 'manifest.json']) {
      expect(sha256(readFileSync(join(second.dir, name))), name).toBe(sha256(read(name)))
    }
    for (const name of PAGE_FILES) expect(first.manifest.files[name]).toBe(sha256(read(name)))
    expect(JSON.parse(read('manifest.json').toString('utf8'))).toEqual(first.manifest)
  })

  it('has no inline script or style, so a CSP without unsafe-inline holds, and pins its files with SRI', () => {
    const html = read('index.html').toString('utf8')
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    expect(scripts).toHaveLength(1)
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="app\.js"/)
      expect(body?.trim()).toBe('')
    }
    expect(html).not.toMatch(/<style\b/i)
    expect(html).not.toMatch(/\sstyle=/i)
    expect(html).not.toMatch(/\son[a-z]+=/i)
    const sri = (name: string) => `sha384-${createHash('sha384').update(read(name)).digest('base64')}`
    expect(html).toContain(`src="app.js" integrity="${sri('app.js')}"`)
    expect(html).toContain(`href="app.css" integrity="${sri('app.css')}"`)
  })

  it('names no third-party URL: the only http(s) literals are identifiers zod never fetches', () => {
    // zod's IPv6 check parses `http://[addr]` with the URL parser; its JSON Schema export names
    // schema dialects. Neither is a request (T14 checks every request at run time).
    const allowed = new Set(['http://[${e}]', 'http://json-schema.org/draft-04/schema#', 'http://json-schema.org/draft-07/schema#', 'https://json-schema.org/draft/2020-12/schema'])
    for (const name of PAGE_FILES) {
      const urls = read(name).toString('utf8').match(/https?:\/\/[^\s"'`)<>]*/g) ?? []
      for (const url of urls) expect(allowed, `${name}: ${url}`).toContain(url.replace(/\$\{\w+\}/, '${e}'))
    }
  })

  it('contains only our browser-safe packages and what they depend on: no Node built-in, no UI framework', () => {
    const output = Object.entries(first.metafile.outputs).find(([name]) => name.endsWith('app.js'))?.[1]
    const inputs = Object.keys(output?.inputs ?? {})
    expect(inputs.length).toBeGreaterThan(20)
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])
    const allowedPackages = /^(zod|age-encryption|@noble\/[a-z-]+|@scure\/base|countries-list)$/
    for (const input of inputs) {
      expect(builtins.has(input), input).toBe(false)
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(input)?.[1]
      if (pkg !== undefined) expect(pkg, input).toMatch(allowedPackages)
      else expect(input, input).toMatch(/^(apps\/questionnaire\/src|packages\/(domain|crypto)\/src)\//)
    }
    // Decryption never reaches the page.
    expect(inputs.some((i) => i.includes('packages/crypto/src/open'))).toBe(false)
  })

  it('writes the configured quick-exit address and limits into index.html only', async () => {
    const custom = await buildInto({ quickExitUrl: 'https://weather.example/', limits: { attachments: 2 } })
    const html = readFileSync(join(custom.dir, 'index.html'), 'utf8')
    expect(html).toContain('<meta name="amanat-quick-exit" content="https://weather.example/">')
    expect(html).toContain('attachments=2')
    expect(custom.manifest.files['app.js']).toBe(first.manifest.files['app.js'])
    await expect(buildInto({ quickExitUrl: 'javascript:alert(1)' })).rejects.toThrow(/quickExitUrl/)
  })
})
