/**
 * The questionnaire page (issue 3): what it costs a respondent on a cheap phone over Tor.
 * - bytes: the built page (index.html, app.js, app.css; no fonts exist to exclude), raw, gzip -9
 *   and brotli, against the target of 200 KB compressed;
 * - transferred bytes and time to a usable first page, loaded through the real intake server in
 *   Debian's Chromium over an emulated poor Tor circuit (600 ms round trips, 100 KB/s down) with
 *   the JIT off (the stand-in for Tor Browser's "Safer" level);
 * - sealing time in the page for a 1 KB and a 100 KB submission and a 10 MB attachment, with the
 *   JIT on and off, as a ratio of the two.
 *
 *   npx tsx bench/page.ts [--full]
 */
import { createServer } from 'node:http'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { buildQuestionnairePage, PAGE_FILES } from '../apps/questionnaire/build.mjs'
import { launchBrowser } from '../tools/test-support/browser.ts'
import { openStage } from '../apps/questionnaire/test/support/page-harness.ts'
import { defaultQuestionnaire } from '../apps/questionnaire/test/support/questionnaires.ts'
import { formatRows, median, type BenchRow } from './bench-row.ts'

const KB = 1000
const POOR_TOR = { offline: false, latency: 600, downloadThroughput: 100_000, uploadThroughput: 50_000 }
const CSP = "default-src 'none'; script-src 'self'; connect-src 'self'"

function pageBytes(dir: string): BenchRow[] {
  let raw = 0
  let gzip = 0
  let brotli = 0
  for (const name of PAGE_FILES) {
    const bytes = readFileSync(join(dir, name))
    raw += bytes.length
    gzip += gzipSync(bytes, { level: 9 }).length
    brotli += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
  }
  return [
    { name: 'questionnaire page: bytes as built (html + js + css)', unit: 'KB', median: raw / KB, runs: [raw / KB] },
    { name: 'questionnaire page: bytes, gzip -9', unit: 'KB', median: gzip / KB, runs: [gzip / KB], ratio: { to: 'of 200 KB target', value: gzip / (200 * KB) }, target: '< 200 KB compressed' },
    { name: 'questionnaire page: bytes, brotli 11', unit: 'KB', median: brotli / KB, runs: [brotli / KB], ratio: { to: 'of 200 KB target', value: brotli / (200 * KB) }, target: '< 200 KB compressed' },
  ]
}

async function pageLoad(runs: number): Promise<BenchRow[]> {
  const stage = await openStage(defaultQuestionnaire())
  const transferred: number[] = []
  const interactive: number[] = []
  try {
    for (let i = 0; i < runs; i++) {
      const browser = await launchBrowser({ args: ['--js-flags=--jitless'] })
      try {
        const cdp = await browser.context.newCDPSession(browser.page)
        await cdp.send('Network.enable')
        await cdp.send('Network.emulateNetworkConditions', POOR_TOR)
        let bytes = 0
        cdp.on('Network.loadingFinished', (event: { encodedDataLength: number }) => {
          bytes += event.encodedDataLength
        })
        const link = stage.link(await stage.invite())
        const start = performance.now()
        await browser.page.goto(link, { timeout: 180_000 })
        await browser.page.waitForSelector('#progress-text', { timeout: 180_000 })
        interactive.push((performance.now() - start) / 1000)
        transferred.push(bytes / KB)
      } finally {
        await browser.dispose()
      }
    }
  } finally {
    await stage.close()
  }
  return [
    { name: 'page load to first question, as served (uncompressed), jitless, poor Tor link', unit: 'KB', median: median(transferred), runs: transferred },
    { name: 'time to first question, jitless, 600 ms RTT, 100 KB/s', unit: 's', median: median(interactive), runs: interactive },
  ]
}

async function sealing(runs: number): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'amanat-bench-seal-'))
  const result = await build({
    entryPoints: [new URL('./page-seal-entry.ts', import.meta.url).pathname],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  })
  const script = result.outputFiles[0]?.contents ?? new Uint8Array()
  const server = createServer((request, response) => {
    const js = request.url === '/seal.js'
    response.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html', 'content-security-policy': CSP })
    response.end(js ? script : '<!doctype html><title>seal bench</title><script src="/seal.js"></script>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/`
  const recipients = await (async () => {
    const { orgKeys } = await import('../apps/questionnaire/test/support/keys.ts')
    const keys = await orgKeys()
    return [keys.analyst.recipient, keys.backup.recipient]
  })()
  const cases = [
    { label: '1 KB submission', kind: 'text', bytes: 1024 },
    { label: '100 KB submission', kind: 'text', bytes: 100 * 1024 },
    { label: '10 MB attachment', kind: 'file', bytes: 10 * 1024 * 1024 },
  ] as const
  const rows: BenchRow[] = []
  try {
    const times: Record<string, Record<string, number[]>> = {}
    for (const mode of ['jit', 'jitless'] as const) {
      const browser = await launchBrowser({ args: mode === 'jitless' ? ['--js-flags=--jitless'] : [] })
      try {
        await browser.page.goto(url)
        await browser.page.waitForFunction(() => 'amanatSealBench' in globalThis)
        for (const c of cases) {
          const list: number[] = []
          for (let i = 0; i < runs + 1; i++) {
            const ms = await browser.page.evaluate(
              ([kind, bytes, r]) =>
                (globalThis as unknown as { amanatSealBench(k: string, b: number, r: string[]): Promise<number> }).amanatSealBench(kind, bytes, r),
              [c.kind, c.bytes, recipients] as const,
            )
            if (i > 0) list.push(ms) // the first run warms up
          }
          ;(times[c.label] ??= {})[mode] = list
        }
      } finally {
        await browser.dispose()
      }
    }
    for (const c of cases) {
      const jit = times[c.label]?.jit ?? []
      const jitless = times[c.label]?.jitless ?? []
      rows.push({ name: `seal in the page: ${c.label} (pad + age, 2 recipients), JIT`, unit: 'ms', median: median(jit), runs: jit })
      rows.push({
        name: `seal in the page: ${c.label}, jitless (Tor "Safer")`,
        unit: 'ms',
        median: median(jitless),
        runs: jitless,
        ratio: { to: 'JIT', value: median(jitless) / median(jit) },
      })
    }
  } finally {
    server.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}

/** The page's figures; `quick` runs fewer repetitions. */
export async function benchPage(options: { quick: boolean }): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'amanat-bench-page-'))
  try {
    await buildQuestionnairePage(dir)
    const rows = pageBytes(dir)
    rows.push(...(await pageLoad(options.quick ? 2 : 5)))
    rows.push(...(await sealing(options.quick ? 3 : 7)))
    return rows
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const rows = await benchPage({ quick: !process.argv.includes('--full') })
  process.stdout.write(`${formatRows(rows)}\n`)
}
