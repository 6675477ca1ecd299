#!/usr/bin/env node
// Builds the workbench's local web UI in memory: `buildWorkbenchUi()` returns index.html, app.js
// and app.css as bytes. The workbench server calls it once at start (esbuild takes a fraction of
// a second) and serves the result from memory, so nothing is written to disk and the page is
// always what the checkout's code says. Everything the page needs is in these three files: no
// CDN, no web fonts, no third-party request of any kind (the server's CSP says so too).
// `node apps/workbench/build.mjs` prints the sizes, for a quick look.
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..', '..')

/**
 * @typedef {{ 'index.html': Uint8Array, 'app.js': Uint8Array, 'app.css': Uint8Array }} UiFiles
 * @returns {Promise<UiFiles>}
 */
export async function buildWorkbenchUi() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: {
      app: join(here, 'src', 'ui', 'main.ts'),
      'app-style': join(here, 'src', 'ui', 'styles', 'app.css'),
    },
    bundle: true,
    write: false,
    outdir: 'out',
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    charset: 'utf8',
    legalComments: 'eof',
    sourcemap: false,
    logLevel: 'silent',
  })
  const byName = new Map(
    result.outputFiles.map((file) => [file.path.slice(file.path.lastIndexOf('/') + 1), file.contents]),
  )
  const js = byName.get('app.js')
  const css = byName.get('app-style.css')
  if (js === undefined || css === undefined) throw new Error('esbuild produced no app.js or app.css')
  const html = new TextEncoder().encode(readFileSync(join(here, 'src', 'ui', 'index.html'), 'utf8'))
  return { 'index.html': html, 'app.js': js, 'app.css': css }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = await buildWorkbenchUi()
  for (const [name, bytes] of Object.entries(files))
    process.stdout.write(`${String(bytes.length).padStart(8)}  ${name}\n`)
}
