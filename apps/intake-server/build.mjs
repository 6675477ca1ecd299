// Builds the intake server's own deployable: src/main.ts bundled by esbuild into dist/server.mjs
// for Node 20, with its metafile (dist/server.meta.json) listing every source file that went in.
// test/bundle.test.ts reads that list to prove no decryption code is in the bundle.
//
//   node apps/intake-server/build.mjs            (or: npm run build -w @amanat/intake-server)
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))

/**
 * Packages left out of the bundle and loaded from node_modules at run time: the SQLite driver is
 * native code, and pg's optional native binding is never installed.
 */
export const EXTERNAL = ['better-sqlite3-multiple-ciphers', 'pg-native']

/**
 * Bundles `entry` (default src/main.ts) into `outfile` (default dist/server.mjs), writing the
 * metafile beside it, and returns the metafile. Writes to a temporary name first, so a reader
 * never sees half a bundle.
 */
export async function buildIntakeServer({
  entry = join(here, 'src', 'main.ts'),
  outfile = join(here, 'dist', 'server.mjs'),
} = {}) {
  mkdirSync(dirname(outfile), { recursive: true })
  const temporary = `${outfile}.${process.pid}.tmp`
  const result = await build({
    entryPoints: [entry],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: EXTERNAL,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
    // Bundled CommonJS (pg) calls require(); an ES module has none unless it is made.
    banner: { js: "import { createRequire as __amanatCreateRequire } from 'node:module'; const require = __amanatCreateRequire(import.meta.url);" },
  })
  const metafile = outfile.replace(/\.mjs$/, '.meta.json')
  writeFileSync(`${metafile}.${process.pid}.tmp`, JSON.stringify(result.metafile, null, 1))
  renameSync(temporary, outfile)
  renameSync(`${metafile}.${process.pid}.tmp`, metafile)
  return result.metafile
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const metafile = await buildIntakeServer()
  process.stdout.write(`built apps/intake-server/dist/server.mjs from ${Object.keys(metafile.inputs).length} files\n`)
}
