import { AmanatError } from '@amanat/domain'
import { chromium } from 'playwright-core'

/** Debian's Chromium unless AMANAT_CHROMIUM names another; never a downloaded browser. */
export const CHROMIUM = process.env.AMANAT_CHROMIUM ?? '/usr/bin/chromium'

/**
 * Prints a self-contained HTML page to PDF with the real Chromium (playwright-core `page.pdf`).
 * Every network request is refused, so nothing in the page can reach out. The page lives in an
 * off-the-record context, so Chromium keeps what it shows in memory only: a persistent profile,
 * used before, wrote the page's title (the person's pseudonym) into its session file on the disk
 * when it closed. Playwright removes the browser's own temporary profile when it closes.
 *
 * `afterPagesClosed` runs once the page is closed and before the browser and its files go: the
 * tests look there at what printing left on the disk.
 *
 * Throws internal `dossier.no_browser` when Chromium cannot start.
 */
export async function printPdf(
  html: string,
  hooks: { readonly afterPagesClosed?: () => Promise<void> } = {},
): Promise<Uint8Array> {
  let browser
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
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
    const context = await browser.newContext({ offline: true })
    let pdf: Uint8Array
    try {
      const page = await context.newPage()
      await page.route('**/*', (route) => route.abort())
      await page.setContent(html, { waitUntil: 'load' })
      pdf = await page.pdf({
        format: 'A4',
        printBackground: true,
        margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' },
      })
    } finally {
      await context.close()
    }
    await hooks.afterPagesClosed?.()
    return pdf
  } finally {
    await browser.close()
  }
}
