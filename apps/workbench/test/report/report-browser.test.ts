import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { chromiumAvailable } from '../../../../tools/test-support/services.ts'
import { launchBrowser } from '../../../../tools/test-support/browser.ts'
import { amanat, PASSPHRASES, tempDir } from '../support.ts'
import { addStory, reportWorkspace } from './support.ts'

/** A4 less 15 mm margins each side, in CSS pixels (96 per inch): the width print layout gets. */
const PRINTABLE_WIDTH = Math.floor(((210 - 30) / 25.4) * 96)

describe.runIf(chromiumAvailable())('the report in Chromium', () => {
  it.each(['en', 'ug'] as const)(
    'makes no request outside its folder and prints with nothing wider than the page (%s)',
    async (lang) => {
      const ws = await reportWorkspace(120)
      await addStory(
        ws,
        'Calls from home',
        'In 2019 a caller asked for the names of others in the community.\n\nThe respondent refused.',
      )
      const out = join(tempDir(), `report-${lang}`)
      expect(
        (await amanat(['report', '--workspace', ws.dir, '--out', out, '--lang', lang], PASSPHRASES)).code,
      ).toBe(0)

      const browser = await launchBrowser({ viewport: { width: 1200, height: 900 } })
      try {
        const { page } = browser
        const folder = pathToFileURL(out).href + '/'
        const requests: string[] = []
        await page.route('**/*', async (route) => {
          const url = route.request().url()
          requests.push(url)
          await (url.startsWith(folder) ? route.continue() : route.abort())
        })
        await page.goto(`${folder}index.html`, { waitUntil: 'load' })
        expect(requests.filter((url) => !url.startsWith(folder))).toEqual([])
        expect(requests).toContain(`${folder}report.css`)
        const images = await page.$$eval('img', (imgs) => imgs.map((img) => img.naturalWidth))
        expect(images.length).toBe(4)
        for (const width of images) expect(width).toBeGreaterThan(0)

        await page.setViewportSize({ width: PRINTABLE_WIDTH, height: 1000 })
        await page.emulateMedia({ media: 'print' })
        const overflowing = await page.evaluate((limit) => {
          const wide: string[] = []
          for (const element of document.querySelectorAll('body *')) {
            const box = element.getBoundingClientRect()
            if (box.width > 0 && (box.left < -0.5 || box.right > limit + 0.5))
              wide.push(
                `${element.tagName}.${element.className} ${String(Math.round(box.left))}..${String(Math.round(box.right))}`,
              )
          }
          return { wide, scroll: document.documentElement.scrollWidth }
        }, PRINTABLE_WIDTH)
        expect(overflowing.wide).toEqual([])
        expect(overflowing.scroll).toBeLessThanOrEqual(PRINTABLE_WIDTH)
        const pdf = await page.pdf({
          format: 'A4',
          margin: { top: '18mm', bottom: '18mm', left: '15mm', right: '15mm' },
          printBackground: true,
        })
        expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-')
      } finally {
        await browser.dispose()
      }
    },
    // A 120-respondent workspace, its report and a browser: about 8 s alone, and it ran past 60 s
    // once while other browser tests loaded the machine's two cores.
    180_000,
  )
})
