import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { ageCliAvailable, chromiumAvailable } from '../../../tools/test-support/services.ts'
import { launchBrowser, type Browser } from '../../../tools/test-support/browser.ts'
import { forward, openInvite, openStage, waitForThanks, type Stage } from './support/page-harness.ts'
import { defaultQuestionnaire } from './support/questionnaires.ts'

/**
 * Accessibility of the page with the default questionnaire: axe-core finds no WCAG 2.1 A/AA
 * violation on any screen, in English and in Uyghur; Uyghur content computes `direction: rtl`;
 * nothing overflows a 320 px screen; and a respondent can answer and send with the keyboard alone.
 * axe-core is injected by the test only; the page never ships it.
 */

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

interface AxeViolation {
  id: string
  help: string
  nodes: { target: string[] }[]
}

/** axe-core's WCAG 2.1 A/AA violations on the current screen, summarised. */
async function violations(page: Page): Promise<string[]> {
  // Runtime.evaluate is not subject to the page's CSP, which forbids injecting scripts otherwise.
  await page.evaluate(AXE_SOURCE)
  const found = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(c: Document, o: unknown): Promise<{ violations: AxeViolation[] }> } }).axe
    return (await axe.run(document, { runOnly: { type: 'tag', values: tags } })).violations
  }, WCAG_21_AA)
  return found.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
}

async function overflows(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth)
}

/** Presses Tab until the focused element matches `selector` (at most `max` presses). */
async function tabTo(page: Page, selector: string, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`Tab never reached ${selector}`)
}

let stage: Stage
let browser: Browser

describe.skipIf(!(chromiumAvailable() && ageCliAvailable()))('accessibility of the page (axe-core, RTL, 320 px, keyboard only)', () => {
  beforeAll(async () => {
    stage = await openStage(defaultQuestionnaire())
    browser = await launchBrowser({ viewport: { width: 320, height: 640 } })
  })
  afterAll(async () => {
    await browser.dispose()
    await stage.close()
  })

  it('has no WCAG 2.1 AA violation, no overflow and no control the browser keeps on any screen, in English and Uyghur', async () => {
    const { page } = browser
    const report: Record<string, string[]> = {}
    // Controls whose state the browser would keep: without autocomplete="off" (on the control or
    // its form) Chromium writes a select's choice and a field's text into the profile's session
    // files as the respondent answers, and they stay on the phone.
    const remembered: string[] = []
    const check = async (name: string) => {
      report[name] = await violations(page)
      expect(await overflows(page), `${name} overflows 320 px`).toBe(false)
      const kept = await page.evaluate(() =>
        [...document.querySelectorAll('input, select, textarea')]
          .filter((control) => control.getAttribute('autocomplete') !== 'off' && (control as HTMLInputElement).form?.getAttribute('autocomplete') !== 'off')
          .map((control) => `${control.tagName.toLowerCase()}#${control.id}`),
      )
      for (const control of kept) if (!remembered.includes(control)) remembered.push(control)
    }
    await page.goto(`${stage.server.url}/`)
    await page.waitForSelector('#invite-code')
    await check('invite code (en)')
    await page.selectOption('#language', 'ug')
    await check('invite code (ug)')
    await page.keyboard.press('Enter')
    await page.click('.actions button.primary')
    await page.waitForSelector('#invite-error')
    await check('invite code error (ug)')

    for (const language of ['en', 'ug']) {
      await openInvite(page, stage.link(await stage.invite()))
      await page.selectOption('#language', language)
      for (let n = 1; ; n++) {
        // Open every group once so that its items are checked too.
        if ((await page.locator('#f-any_incidents-yes').count()) > 0) {
          await page.check('#f-any_incidents-yes')
          await page.click('#f-incidents-add')
          await forward(page)
          await page.waitForSelector('.error-text')
          await check(`page ${n} with errors (${language})`)
          await page.selectOption('#f-incidents-0-incident_type-input', { index: 1 })
          await page.check('#f-incidents-0-incident_target-0')
        }
        if ((await page.locator('#f-relatives_affected-yes').count()) > 0) {
          await page.check('#f-relatives_affected-yes')
          await page.click('#f-relatives-add')
          await page.check('#f-relatives-0-relative_relation-0')
          await page.check('#f-relatives-0-relative_status-0')
        }
        await check(`page ${n} (${language})`)
        const progress = await page.locator('#progress-text').innerText()
        const [a, b] = progress.match(/\d+/g) ?? []
        if (a === b) break
        await forward(page)
        await page.waitForFunction((before) => document.getElementById('progress-text')?.textContent !== before, progress)
      }
      if (language === 'ug') {
        for (const selector of ['h1', 'h2', 'legend', 'label', 'button.primary', '.topbar']) {
          const direction = await page.locator(selector).first().evaluate((e) => getComputedStyle(e).direction)
          expect(direction, selector).toBe('rtl')
        }
        expect(await page.getAttribute('html', 'lang')).toBe('ug')
        await forward(page)
        await waitForThanks(page)
        expect(await stage.newItems()).toHaveLength(1)
        await check('thank you (ug)')
      }
    }
    await page.goto('about:blank')
    await page.goto(stage.link({ ...(await stage.invite()), fingerprint: '0'.repeat(32) }))
    await page.waitForSelector('#screen-heading:text-matches("could not be verified")')
    await check('verification refused (en)')
    // 3 invite screens, 6 pages and one error state in each of two languages, thanks, refusal.
    expect(Object.keys(report)).toHaveLength(19)
    expect(report).toEqual(Object.fromEntries(Object.keys(report).map((k) => [k, []])))
    expect(remembered).toEqual([])
  })

  it('the axe harness does find violations where there are some', async () => {
    const { page } = browser
    await page.setContent('<html><body><input type="text"><img src="data:,"></body></html>')
    expect((await violations(page)).length).toBeGreaterThan(0)
  })

  it('marks each language in the picker with its own lang and direction; typed Uyghur runs right to left', async () => {
    const { page } = browser
    await openInvite(page, stage.link(await stage.invite()))
    const option = page.locator('#language option[value="ug"]')
    expect(await option.getAttribute('lang')).toBe('ug')
    expect(await option.evaluate((e) => getComputedStyle(e).direction)).toBe('rtl')
    for (let i = 0; i < 4; i++) await forward(page)
    await page.fill('#f-story-input', 'ئاكامنى 2017-يىلى تۇتۇپ كەتتى')
    expect(await page.locator('#f-story-input').evaluate((e) => getComputedStyle(e).direction)).toBe('rtl')
  })

  it('can be answered and sent with the keyboard alone', async () => {
    const { page } = browser
    await openInvite(page, stage.link(await stage.invite()))
    const press = (key: string) => page.keyboard.press(key)
    const next = async () => {
      await tabTo(page, '.actions button.primary')
      await press('Enter')
    }

    // About you: a country from the list, the first residence status.
    await tabTo(page, '#f-residence_country-input')
    await press('ArrowDown')
    await press('ArrowDown')
    await tabTo(page, '#f-residence_status-0')
    await press('Space')
    await next()

    // What happened: yes, one incident with its required answers and a month.
    await tabTo(page, '#f-any_incidents-yes')
    await press('Space')
    await tabTo(page, '#f-incidents-add')
    await press('Enter')
    await tabTo(page, '#f-incidents-0-incident_type-input')
    await press('ArrowDown')
    await tabTo(page, '#f-incidents-0-incident_target-0')
    await press('Space')
    await tabTo(page, '#f-incidents-0-incident_date-input')
    await page.keyboard.type('2019-03')
    await next()

    // Family: "no" (arrow keys move and select within a radio group).
    await tabTo(page, '#f-relatives_affected-yes')
    await press('ArrowDown')
    await next()

    // Impacts: the first one.
    await tabTo(page, '#f-impacts-0')
    await press('Space')
    await next()

    // In your own words.
    await tabTo(page, '#f-story-input')
    await page.keyboard.type('Typed with the keyboard alone. ئۇيغۇرچە.')
    await next()

    // Use of answers: the first disclosure wish and the first consent, then send.
    await tabTo(page, '#f-disclosure-0')
    await press('Space')
    await tabTo(page, '#f-consent-0')
    await press('Space')
    await next()
    await waitForThanks(page)

    const items = await stage.newItems()
    expect(items).toHaveLength(1)
    const { answers } = stage.plaintextOf(items[0]!)
    const questionnaire = stage.questionnaire
    const optionOf = (id: string, k: number) => {
      for (const s of questionnaire.sections) {
        for (const i of s.items) {
          if (i.id === id && (i.kind === 'single_choice' || i.kind === 'multiple_choice')) return i.options[k]?.value
          if (i.kind === 'group') for (const q of i.items) if (q.id === id && q.kind === 'single_choice') return q.options[k]?.value
        }
      }
      return undefined
    }
    expect(answers).toMatchObject({
      residence_country: expect.stringMatching(/^[A-Z]{2}$/),
      residence_status: optionOf('residence_status', 0),
      any_incidents: true,
      incidents: [{ incident_type: optionOf('incident_type', 0), incident_target: optionOf('incident_target', 0), incident_date: { precision: 'month', value: '2019-03' } }],
      relatives_affected: false,
      impacts: [optionOf('impacts', 0)],
      story: 'Typed with the keyboard alone. ئۇيغۇرچە.',
      disclosure: optionOf('disclosure', 0),
      consent: [optionOf('consent', 0)],
    })
  })
})
