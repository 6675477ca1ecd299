import { AmanatError } from '@amanat/domain'
import { chromium, type Browser } from 'playwright-core'

/** Debian's Chromium unless AMANAT_CHROMIUM names another; never a downloaded browser. */
export const CHROMIUM = process.env.AMANAT_CHROMIUM ?? '/usr/bin/chromium'

/**
 * Where Chromium is told its own configuration and cache live: a folder that cannot be made (under
 * a device, not a folder). Chromium keeps its crash reporter's database there, not in the profile
 * Playwright gives it, and Debian's Chromium writes a dump of every process that crashes to
 * `~/.config/chromium/Crash Reports/pending/` and keeps it for 30 days (bugs.debian.org/1015931):
 * the memory of a page that held a person's dossier, in the analyst's home folder. With no folder
 * to keep them in, the crash reporter keeps nothing, and Chromium runs as before.
 */
export const CHROMIUM_NO_HOME = '/dev/null/amanat-chromium-keeps-nothing'

const MM_PER_INCH = 25.4
const A4 = { width: 210, height: 297 }

/**
 * Prints a self-contained HTML page to PDF (A4) with the real Chromium, driven by playwright-core.
 * Every network request is refused, so nothing in the page can reach out. The page lives in an
 * off-the-record context, so Chromium keeps what it shows in memory only: a persistent profile,
 * used before, wrote the page's title (the person's pseudonym) into its session file on the disk
 * when it closed. Playwright removes the browser's own temporary profile when it closes, and
 * Chromium's configuration and cache outside it point at {@link CHROMIUM_NO_HOME}.
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
  const browser = await launchChromium()
  try {
    const context = await browser.newContext({ offline: true })
    let pdf: Uint8Array
    try {
      const page = await context.newPage()
      await page.route('**/*', (route) => route.abort())
      await page.setContent(html, { waitUntil: 'load' })
      // Not `page.pdf()`: Playwright asks Chromium for the PDF as a stream, which Chromium
      // writes to a file in the temporary folder (`.org.chromium.Chromium.*`), in clear, and
      // unlinks once read. Asked for it in the answer itself, it writes nothing.
      const devtools = await context.newCDPSession(page)
      const { data } = await devtools.send('Page.printToPDF', {
        transferMode: 'ReturnAsBase64',
        printBackground: true,
        paperWidth: A4.width / MM_PER_INCH,
        paperHeight: A4.height / MM_PER_INCH,
        marginTop: 15 / MM_PER_INCH,
        marginBottom: 15 / MM_PER_INCH,
        marginLeft: 12 / MM_PER_INCH,
        marginRight: 12 / MM_PER_INCH,
      })
      pdf = new Uint8Array(Buffer.from(data, 'base64'))
    } finally {
      await context.close()
    }
    await hooks.afterPagesClosed?.()
    return pdf
  } finally {
    await browser.close()
  }
}

/**
 * Debian's Chromium, headless, with no network of its own and its configuration and cache at
 * {@link CHROMIUM_NO_HOME}. Throws internal `dossier.no_browser` when it cannot start.
 */
export async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      env: { ...process.env, XDG_CONFIG_HOME: CHROMIUM_NO_HOME, XDG_CACHE_HOME: CHROMIUM_NO_HOME },
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
}
