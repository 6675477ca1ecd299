#!/usr/bin/env node
// Builds the questionnaire page: `node apps/questionnaire/build.mjs [outDir]` (default
// apps/questionnaire/dist). The output is four files: index.html, app.js, app.css and
// manifest.json (their SHA-256s). It is reproducible (SECURITY-TESTS.md T22): the same sources and
// the same esbuild give the same bytes, because nothing time- or machine-dependent goes in (no
// timestamps, no absolute paths, no source maps) and every file is written in a fixed order.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..', '..')

/** The files a build writes, in the order they are hashed and listed. */
export const PAGE_FILES = ['app.css', 'app.js', 'index.html']

const MiB = 1024 * 1024

/** The defaults the page uses when a build passes no options. */
export const DEFAULT_PAGE_OPTIONS = Object.freeze({
  quickExitUrl: 'about:blank',
  limits: Object.freeze({ submissionBytes: 2 * MiB, attachments: 5, attachmentBytes: 25 * MiB }),
})

// Our own packages' modules only declare things: telling esbuild so lets it leave out whole files
// the page never uses (the codebook loader, the workspace events, countries it does not list).
// zod's entry exports its API as a namespace object (`export { z }`), and importing that binding
// makes esbuild keep the whole object: every locale, JSON Schema conversion, the compiler (about
// 65 KB compressed the page never runs). Our packages only ever write `import { z } from 'zod'`
// and use `z.` members, so for the page that one import is rewritten to a namespace import of
// zod's classic API module, which esbuild can shake member by member. Any other import form is left
// alone (and merely costs bytes).
const ZOD_IMPORT = "import { z } from 'zod'"
const ZOD_CLASSIC = 'amanat-zod-classic'

/** @type {import('esbuild').Plugin} */
const zodNamespaceImport = {
  name: 'amanat-zod-namespace',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^${ZOD_CLASSIC}$`) }, async (args) => {
      const zod = await b.resolve('zod', { kind: 'import-statement', resolveDir: args.resolveDir })
      if (zod.errors.length > 0) return { errors: zod.errors }
      return { path: join(dirname(zod.path), 'v4', 'classic', 'external.js') }
    })
    b.onLoad({ filter: /[/\\]packages[/\\](domain|crypto)[/\\]src[/\\].*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8')
      if (!source.includes(ZOD_IMPORT)) return undefined
      return { contents: source.replace(ZOD_IMPORT, `import * as z from '${ZOD_CLASSIC}'`), loader: 'ts' }
    })
  },
}

/** @param {unknown} data */
const isInner = (data) => typeof data === 'object' && data !== null && 'inner' in data && data.inner === true

/** @type {import('esbuild').Plugin} */
const ownPackagesAreSideEffectFree = {
  name: 'amanat-side-effect-free',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (isInner(args.pluginData)) return undefined
      const result = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { inner: true },
      })
      if (result.errors.length > 0) return result
      // Only the shared packages: the page's own zod-jitless.ts exists for its side effect.
      return result.path.startsWith(join(root, 'packages')) ? { ...result, sideEffects: false } : result
    })
  },
}

/**
 * @typedef {{ submissionBytes: number, attachments: number, attachmentBytes: number }} PageLimits
 * @typedef {{ quickExitUrl?: string, limits?: Partial<PageLimits> }} PageOptions
 * @typedef {{ format: string, files: Record<string, string> }} PageManifest
 */

/** @param {Uint8Array} bytes */
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex')
/** @param {Uint8Array} bytes */
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`
/** @param {string} text */
const escapeAttribute = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/**
 * @param {PageOptions} options
 * @returns {{ quickExitUrl: string, limits: PageLimits }}
 */
function checkOptions(options) {
  const quickExitUrl = options.quickExitUrl ?? DEFAULT_PAGE_OPTIONS.quickExitUrl
  if (quickExitUrl !== 'about:blank' && !/^https:\/\/[^\s"'<>]+$/.test(quickExitUrl)) {
    throw new Error('quickExitUrl must be about:blank or an https:// URL')
  }
  const limits = { ...DEFAULT_PAGE_OPTIONS.limits, ...(options.limits ?? {}) }
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`limits.${name} must be a positive whole number`)
  }
  return { quickExitUrl, limits }
}

/**
 * Builds the page into `outDir` (created if needed; the four files it writes are replaced, nothing
 * else there is touched). Returns `{ manifest, metafile }`: the manifest it wrote
 * (`{ format, files: { name: sha256 } }`) and esbuild's metafile (which modules went in).
 *
 * Options: `quickExitUrl` (where quick exit goes: `about:blank` by default, or an https:// URL of a
 * harmless site) and `limits` (`submissionBytes`, `attachments`, `attachmentBytes`). Both are
 * written into index.html as <meta> tags, so app.js is the same for every deployment.
 *
 * Throws on a build error or a bad option.
 */
/**
 * @param {string} outDir
 * @param {PageOptions} [options]
 * @returns {Promise<{ manifest: PageManifest, metafile: import('esbuild').Metafile }>}
 */
export async function buildQuestionnairePage(outDir, options = {}) {
  const { quickExitUrl, limits } = checkOptions(options)
  const result = await build({
    absWorkingDir: root,
    entryPoints: { app: join(here, 'src', 'main.ts'), 'app-style': join(here, 'src', 'styles', 'app.css') },
    bundle: true,
    write: false,
    outdir: 'out',
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    charset: 'utf8',
    legalComments: 'eof',
    sourcemap: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [zodNamespaceImport, ownPackagesAreSideEffectFree],
  })
  const byName = new Map(result.outputFiles.map((file) => [file.path.slice(file.path.lastIndexOf('/') + 1), file.contents]))
  const js = byName.get('app.js')
  const css = byName.get('app-style.css')
  if (js === undefined || css === undefined) throw new Error('esbuild produced no app.js or app.css')

  const limitsText = `submissionBytes=${limits.submissionBytes},attachments=${limits.attachments},attachmentBytes=${limits.attachmentBytes}`
  const html = readFileSync(join(here, 'src', 'index.html'), 'utf8')
    .replace('{{QUICK_EXIT}}', escapeAttribute(quickExitUrl))
    .replace('{{LIMITS}}', escapeAttribute(limitsText))
    .replace('{{CSS_INTEGRITY}}', sri(css))
    .replace('{{JS_INTEGRITY}}', sri(js))
  if (html.includes('{{')) throw new Error('src/index.html has a placeholder the build does not fill')

  const files = new Map([
    ['app.css', css],
    ['app.js', js],
    ['index.html', new TextEncoder().encode(html)],
  ])
  mkdirSync(outDir, { recursive: true })
  /** @type {PageManifest} */
  const manifest = { format: 'amanat-questionnaire-manifest/1', files: {} }
  for (const name of PAGE_FILES) {
    const bytes = files.get(name)
    if (bytes === undefined) throw new Error(`no output for ${name}`)
    rmSync(join(outDir, name), { force: true })
    writeFileSync(join(outDir, name), bytes)
    manifest.files[name] = sha256(bytes)
  }
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  return { manifest, metafile: result.metafile }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? join(here, 'dist'))
  const { manifest } = await buildQuestionnairePage(outDir)
  for (const [name, hash] of Object.entries(manifest.files)) process.stdout.write(`${hash}  ${name}\n`)
  process.stdout.write(`written to ${outDir}\n`)
}
