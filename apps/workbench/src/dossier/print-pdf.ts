import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AmanatError } from '@amanat/domain'
import { chromium } from 'playwright-core'

/** Debian's Chromium unless AMANAT_CHROMIUM names another; never a downloaded browser. */
export const CHROMIUM = process.env.AMANAT_CHROMIUM ?? '/usr/bin/chromium'

/**
 * Prints a self-contained HTML page to PDF with the real Chromium (playwright-core `page.pdf`).
 * Every network request is refused, so nothing in the page can reach out; the browser profile
 * lives in a fresh folder that is removed afterwards.
 *
 * Throws internal `dossier.no_browser` when Chromium cannot start.
 */
export async function printPdf(html: string): Promise<Uint8Array> {
  const profile = mkdtempSync(join(tmpdir(), 'amanat-print-'))
  try {
    let context
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        offline: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-quic',
        ],
      })
    } catch (error) {
      throw new AmanatError(
        'internal',
        'dossier.no_browser',
        `Chromium could not start (${CHROMIUM}); set AMANAT_CHROMIUM to its path.`,
        {},
        { cause: error },
      )
    }
    try {
      const page = context.pages()[0] ?? (await context.newPage())
      await page.route('**/*', (route) => route.abort())
      await page.setContent(html, { waitUntil: 'load' })
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' },
      })
    } finally {
      await context.close()
    }
  } finally {
    rmSync(profile, { recursive: true, force: true })
  }
}
