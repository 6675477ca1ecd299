import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { CHROMIUM_PATH } from './services.ts'

/**
 * Debian's Chromium through playwright-core, with a fresh profile directory each time (the profile
 * is what T15 searches afterwards). Never a downloaded browser.
 */

export interface Browser {
  readonly context: BrowserContext
  readonly page: Page
  /** The profile directory: kept after `close()` until `dispose()`, so a test can search it. */
  readonly profileDir: string
  /** Closes the browser (flushing its profile to disk). */
  close(): Promise<void>
  /** Closes if needed and deletes the profile. */
  dispose(): Promise<void>
}

export interface BrowserOptions {
  /** Extra Chromium flags, e.g. `--js-flags=--jitless` as the stand-in for Tor Browser's "Safer". */
  readonly args?: readonly string[]
  readonly viewport?: { readonly width: number; readonly height: number }
  readonly locale?: string
}

export async function launchBrowser(options: BrowserOptions = {}): Promise<Browser> {
  const profileDir = mkdtempSync(join(tmpdir(), 'amanat-q-profile-'))
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.args ?? []),
    ],
    viewport: options.viewport ?? { width: 390, height: 800 },
    ...(options.locale === undefined ? {} : { locale: options.locale }),
  })
  const page = context.pages()[0] ?? (await context.newPage())
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await context.close()
  }
  return {
    context,
    page,
    profileDir,
    close,
    dispose: async () => {
      await close()
      rmSync(profileDir, { recursive: true, force: true })
    },
  }
}

/**
 * The files below `dir` (a browser's profile) that contain each needle, as UTF-8 or UTF-16LE,
 * relative to `dir`; needles found nowhere are absent from the map.
 */
export function filesContaining(dir: string, needles: readonly string[]): Map<string, string[]> {
  const hits = new Map<string, string[]>()
  const forms = needles.map((n) => ({ n, bytes: [Buffer.from(n, 'utf8'), Buffer.from(n, 'utf16le')] }))
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile() && statSync(path).size < 64 * 1024 * 1024) {
        const content = readFileSync(path)
        for (const { n, bytes } of forms) {
          if (bytes.some((b) => content.includes(b)))
            hits.set(n, [...(hits.get(n) ?? []), relative(dir, path)])
        }
      }
    }
  }
  walk(dir)
  return hits
}
