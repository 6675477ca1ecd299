import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumAvailable } from '../../../../tools/test-support/services.ts'
import { filesContaining, launchBrowser, type Browser } from '../../../../tools/test-support/browser.ts'
import { stepsDependOnEachOther } from '../../../../tools/test-support/steps.ts'
import { REPO_PATHS } from '../../src/intake/repo-paths.ts'
import type { RunningWorkbench } from '../../src/server/workbench-server.ts'
import { openWorkspace } from '../../src/workspace/workspace.ts'
import { filesBelow } from '../support.ts'
import { tempDir } from '../support/intake-fixtures.ts'
import {
  codebookWithNewType,
  PASSPHRASE,
  startTestWorkbench,
  STORY_UG,
  STORY_ZH,
  workspaceWithPulledTestimony,
  type IntakeStage,
} from './support.ts'

/**
 * The workbench in real Chromium, as an analyst uses it: open the printed link, unlock, pick a
 * profile, pull a new submission with the inbox's button, open the first pulled testimony (its
 * photo shown inline), code three incidents (the first with the keyboard alone) and a relative,
 * set consent, disclosure and a pseudonym, write a case story and mark it for publication, switch the interface to Uyghur (screenshot of the
 * coding screen into test-output/), search in Uyghur and in Chinese, read the record's history,
 * look at the dashboard, enter an interview, and watch the page lock itself after idling (and
 * forget the translation begun before). Saves on the reader hold the screen until it is drawn
 * again, and text being written survives that redraw. Every
 * request the page makes is recorded: none may leave 127.0.0.1.
 */

const IDLE_MS = 10_000
const SECOND_STORY = 'Synthetic second account, pulled from the page.'
const INTERVIEW_STORY = '领事馆的人让我回国。Synthetic interview.'
const TRANSLATION_DRAFT = 'Synthetic translation, begun and not saved.'
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const SCREENSHOT = join(REPO_PATHS.root, 'test-output', 'workbench-coding-ug.png')

/** axe-core's WCAG 2.1 A/AA violations on the current screen (Runtime.evaluate is not subject to the CSP). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE)
  const found = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            c: Document,
            o: unknown,
          ): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>
        }
      }
    ).axe
    return (
      await axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      })
    ).violations
  })
  return found.map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
}

/**
 * Where the keyboard is: the focused element's tag and the id of the nearest part of the screen
 * with one ("H3 in #incidents"), so a redraw that drops focus to the top reads "BODY".
 */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement
    if (active === null || active === document.body) return 'BODY'
    const part = active.parentElement?.closest('[id]')
    return `${active.tagName}${active.id === '' ? '' : `#${active.id}`} in #${part?.id ?? ''}`
  })
}

/** `expect.poll` with room for a loaded machine (two cores shared by many test processes). */
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 100 })

/**
 * What a second tab (or a second analyst) does meanwhile: opens the same screen in a new tab of
 * the same browser, waits for `ready`, runs `change`, submits with `submit` and waits for "Saved.".
 */
async function savedInAnotherTab(
  page: Page,
  ready: string,
  change: (other: Page) => Promise<void>,
  submit: string,
): Promise<void> {
  const other = await page.context().newPage()
  try {
    await other.goto(page.url())
    await other.locator(ready).first().waitFor()
    await change(other)
    await other.click(submit)
    await eventually(() => other.locator('#notice').textContent()).toBe('Saved.')
  } finally {
    await other.close()
  }
}

/** The number in a coded list's heading, "Incidents (3)". */
async function listed(page: Page, id: string): Promise<number> {
  const text = (await page.locator(`#${id} h3`).textContent()) ?? ''
  return Number(/\((\d+)\)/.exec(text)?.[1] ?? Number.NaN)
}

describe.skipIf(!chromiumAvailable())('amanat workbench in Chromium', () => {
  // One session in steps: after a failed step the rest would only time out on its broken state.
  stepsDependOnEachOther()
  const temp = tempDir('wb-browser')
  const ws = `${temp.dir}/ws`
  let workbench: RunningWorkbench
  let intake: IntakeStage
  let browser: Browser
  let page: Page
  const requests: string[] = []
  /** Where the interview's reader is (#/t/…), for coming back to it. */
  let interviewHash = ''

  beforeAll(async () => {
    intake = await workspaceWithPulledTestimony(ws, `${temp.dir}/intake`)
    workbench = await startTestWorkbench(ws, IDLE_MS)
    browser = await launchBrowser({ viewport: { width: 1400, height: 1000 }, locale: 'en-GB' })
    page = browser.page
    page.on('request', (request) => requests.push(request.url()))
  })
  afterAll(async () => {
    await browser.dispose()
    await workbench.close()
    await intake.close()
    temp.cleanup()
  })

  it('unlocks with the passphrase and an analyst profile, and takes the token out of the address bar', async () => {
    await page.goto(workbench.url)
    await page.locator('#passphrase').waitFor()
    expect(page.url()).toBe(`${workbench.origin}/`)
    await page.fill('#passphrase', 'not the passphrase')
    await page.click('button[type=submit]')
    await eventually(() => page.locator('[role=alert]').textContent()).toContain(
      'does not open this workspace',
    )
    await page.fill('#passphrase', PASSPHRASE)
    await page.click('button[type=submit]')
    await page.click('button.profile')
    await page.locator('table.list tbody tr').first().waitFor()
  })

  it('pulls a new submission from the intake server with a button, as `amanat pull` would', async () => {
    await intake.submit(SECOND_STORY)
    // With the keyboard: the report is read out (a live region) and the keyboard stays on the button.
    await page.locator('#pull button').first().focus()
    await page.keyboard.press('Enter')
    await eventually(() => page.locator('#pull-report pre').textContent()).toContain('imported: 1')
    await eventually(() => page.locator('table.list tbody tr').count()).toBe(2)
    expect(await focused(page)).toBe('BUTTON in #pull')
  })

  it('moves through the inbox with j and k', async () => {
    const links = () =>
      page.locator('table.list tbody tr a').evaluateAll((found) => found.map((a) => a.getAttribute('href')))
    // The inbox re-renders after the pull: wait until both rows carry their links before reading them.
    await eventually(async () => (await links()).filter((href) => href !== null).length).toBe(2)
    const rows = await links()
    // A key pressed while the next reader is still loading has no screen to act on: wait until the
    // previous screen is gone and the new one is drawn before the next key.
    const step = async (key: string, hash: string | null | undefined) => {
      const before = await page.$('#incidents')
      await page.locator('body').press(key)
      await eventually(() => new URL(page.url()).hash).toBe(hash)
      await before?.waitForElementState('hidden')
      await page.locator('#incidents').waitFor()
      // The keyboard (and a screen reader) starts at the new testimony's heading.
      await eventually(() => focused(page)).toBe('H1 in #view')
    }
    await step('j', rows[0])
    await step('j', rows[1])
    await step('k', rows[0])
    await page.evaluate(() => (location.hash = '#/inbox'))
    await page.locator('table.list tbody tr').nth(1).waitFor()
    await eventually(() => focused(page)).toBe('H1 in #view')
    expect(await page.locator('#view h1').textContent()).toBe('Inbox')
  })

  it('opens the pulled testimony and codes three incidents and a relative, the first with the keyboard alone', async () => {
    const first = await page.evaluate(() =>
      fetch('/api/testimonies?status=new').then(
        (r) => r.json() as Promise<{ items: { respondentId: string; testimonyId: string }[] }>,
      ),
    )
    const withPhoto = await Promise.all(
      first.items.map((row) =>
        page.evaluate(
          (url) => fetch(url).then((r) => r.json() as Promise<{ attachments: unknown[] }>),
          `/api/testimonies/${row.respondentId}/${row.testimonyId}`,
        ),
      ),
    )
    const index = withPhoto.findIndex((view) => view.attachments.length > 0)
    await page.locator('table.list tbody tr a').nth(index).click()
    await page.locator('#incidents').waitFor()
    await eventually(() => page.locator('.source').textContent()).toContain(STORY_UG)
    const narrative = page.locator('.source p.content').first()
    expect(await narrative.getAttribute('dir')).toBe('auto')
    expect(await narrative.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl')
    // The photo the respondent attached, shown inline from this server.
    const photo = page.locator('.attachments img').first()
    expect(await photo.getAttribute('src')).toMatch(
      /^\/api\/respondents\/[0-9a-z]{26}\/attachments\/[0-9a-z]{26}$/,
    )
    await eventually(() =>
      photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 1),
    ).toBe(true)
    const before = await listed(page, 'incidents')
    const relativesBefore = await listed(page, 'relatives')

    // n: new incident; 2: the second type; the place and date typed; Ctrl+Enter saves.
    await page.locator('body').press('n')
    await page.locator('.coding-form select[name=type]').waitFor()
    await page.keyboard.press('2')
    const second = await page.locator('.coding-form select[name=type] option').nth(1).getAttribute('value')
    expect(await page.locator('.coding-form select[name=type]').inputValue()).toBe(second)
    await page.selectOption('.coding-form select[name=receivedCountry]', 'TR')
    await page.selectOption('.coding-form select[name=originCountry]', 'CN')
    await page.fill('.coding-form input[name=date]', '2019-03')
    await page.locator('.coding-form input[name=date]').press('Control+Enter')
    // Pressed again while it saves: the screen is held until it is drawn again, and the second
    // press saves nothing (the count below, after two more, would be one too many).
    await page.keyboard.press('Control+Enter')
    await eventually(() => listed(page, 'incidents')).toBe(before + 1)
    // Drawn again, the keyboard is on the list it saved into, not at the top, and it was said.
    await eventually(() => focused(page)).toBe('H3 in #incidents')
    expect(await page.locator('#notice').textContent()).toBe('Saved.')
    // Esc closes a form and gives the keyboard back to the button that opened it.
    await page.locator('#incidents button.add').focus()
    await page.keyboard.press('Enter')
    await page.locator('.coding-form select[name=type]').waitFor()
    await page.keyboard.press('Escape')
    await page.locator('.coding-form').waitFor({ state: 'detached' })
    expect(await focused(page)).toBe('BUTTON in #incidents')
    expect(await page.evaluate(() => document.activeElement?.classList.contains('add'))).toBe(true)
    // Opened with `n` from nowhere in particular and closed: focus goes to the incident list.
    await page.evaluate(() => {
      ;(document.activeElement as HTMLElement | null)?.blur()
    })
    await page.keyboard.press('n')
    await page.locator('.coding-form select[name=type]').waitFor()
    await page.keyboard.press('Escape')
    await page.locator('.coding-form').waitFor({ state: 'detached' })
    expect(await focused(page)).toBe('H3 in #incidents')

    for (const [type, channel] of [
      ['death_threat', 'phone_call'],
      ['pressure_to_return', 'wechat'],
    ] as const) {
      await page.click('#incidents button.add')
      await page.selectOption('.coding-form select[name=type]', type)
      await page.selectOption('.coding-form select[name=channel]', channel)
      await page.selectOption('.coding-form select[name=perpetrator]', 'state_security')
      await page.fill('.coding-form input[name=date]', '2020')
      await page.click('.coding-form button[type=submit]')
      await page.locator('.coding-form').waitFor({ state: 'detached' })
    }
    await eventually(() => listed(page, 'incidents')).toBe(before + 3)

    await page.click('#relatives button.add')
    await page.selectOption('.coding-form select[name=relation]', { index: 0 })
    await page.selectOption('.coding-form select[name=status]', 'detained')
    await page.fill('.coding-form input[name=since]', '2018-06')
    await page.click('.coding-form button[type=submit]')
    await eventually(() => listed(page, 'relatives')).toBe(relativesBefore + 1)

    // An identifier added, then removed with the keyboard: focus goes to the list's heading, not
    // to the next item's remove button, where a second Enter would remove that one too.
    const identifiersBefore = await listed(page, 'identifiers')
    await page.click('#identifiers button.add')
    await page.selectOption('.coding-form select[name=kind]', 'wechat')
    await page.fill('.coding-form input[name=value]', 'wxid_syn_browsertest')
    await page.click('.coding-form button[type=submit]')
    await eventually(() => listed(page, 'identifiers')).toBe(identifiersBefore + 1)
    await page.locator('#identifiers li button.danger').last().focus()
    await page.keyboard.press('Enter')
    await eventually(() => listed(page, 'identifiers')).toBe(identifiersBefore)
    await eventually(() => focused(page)).toBe('H3 in #identifiers')
    expect(await axeViolations(page)).toEqual([])
  })

  it('shows photos inline and offers other files as downloads, saying a download leaves the workspace unencrypted', async () => {
    // Only a photo so far: nothing is a download, and nothing needs saying.
    await page.locator('.attachments img').first().waitFor()
    expect(await page.locator('#downloads-in-clear').count()).toBe(0)
    // The same testimony read once with a PDF beside the photo (as a questionnaire accepting PDFs
    // would bring): drawn again from the inbox.
    const reader = new URL(page.url()).hash
    await page.route(
      /\/api\/testimonies\/[0-9a-z]+\/[0-9a-z]+$/,
      async (route) => {
        if (route.request().method() !== 'GET') return route.continue()
        const response = await route.fetch()
        const view = (await response.json()) as { attachments: Record<string, unknown>[] }
        view.attachments.push({
          ...view.attachments[0],
          id: '0'.repeat(26),
          mediaType: 'application/pdf',
          originalName: 'synthetic-letter.pdf',
          inline: false,
        })
        await route.fulfill({ response, json: view })
      },
      { times: 1 },
    )
    await page.evaluate(() => (location.hash = '#/inbox'))
    await page.locator('table.list tbody tr').first().waitFor()
    await page.evaluate((hash) => (location.hash = hash), reader)
    const download = page.locator('.attachments a[download]')
    await eventually(() => download.textContent()).toBe('synthetic-letter.pdf')
    expect(await page.locator('.attachments img').count()).toBe(1)
    expect(await download.getAttribute('aria-describedby')).toBe('downloads-in-clear')
    expect(await page.locator('#downloads-in-clear').textContent()).toMatch(
      /saved unencrypted on this computer/,
    )
    expect(await axeViolations(page)).toEqual([])
    // Read again as it is.
    await page.evaluate(() => (location.hash = '#/inbox'))
    await page.locator('table.list tbody tr').first().waitFor()
    await page.evaluate((hash) => (location.hash = hash), reader)
    await page.locator('.attachments img').first().waitFor()
    expect(await page.locator('#downloads-in-clear').count()).toBe(0)
  })

  it('refuses an edit made from an older read, and puts the edit back on top of the other tab’s change', async () => {
    const editFirst = (tab: Page) => tab.locator('#incidents li button.link:not(.danger)').first().click()
    await editFirst(page)
    await page.locator('.coding-form textarea[name=note]').waitFor()
    // A second tab (or a second analyst) opens the same incident, changes its note and where it
    // originated, and saves.
    await savedInAnotherTab(
      page,
      '#incidents',
      async (other) => {
        await editFirst(other)
        await other.fill('.coding-form textarea[name=note]', 'Changed in the other tab.')
        await other.fill('.coding-form input[name=originLocality]', 'Other-tab town')
      },
      '.coding-form button[type=submit]',
    )
    // This tab changes the note too, and where the incident was received.
    await page.fill('.coding-form textarea[name=note]', 'Changed in this tab.')
    await page.fill('.coding-form input[name=receivedLocality]', 'This-tab town')
    await page.click('.coding-form button[type=submit]')
    // Refused (made from what this tab read before), and said so; the form is open again on the
    // incident as it now is, with this tab's edit on top: the field only this tab changed has
    // this tab's value, the one only the other tab changed keeps theirs, and the note both
    // changed keeps theirs with this tab's beside it.
    await eventually(() => page.locator('#notice').textContent()).toContain(
      'someone changed or removed this record',
    )
    await eventually(() => page.locator('.coding-form .merge-note').textContent()).toContain(
      'Your changes are back in this form',
    )
    expect(await page.locator('.coding-form input[name=receivedLocality]').inputValue()).toBe('This-tab town')
    expect(await page.locator('.coding-form input[name=originLocality]').inputValue()).toBe('Other-tab town')
    expect(await page.locator('.coding-form textarea[name=note]').inputValue()).toBe(
      'Changed in the other tab.',
    )
    expect(await page.locator('.coding-form .merge-yours').textContent()).toContain('Changed in this tab.')
    expect(await axeViolations(page)).toEqual([])
    await page.locator('.coding-form .merge-yours button').click()
    expect(await page.locator('.coding-form textarea[name=note]').inputValue()).toBe('Changed in this tab.')
    await eventually(() => page.locator('.coding-form .merge-yours').count()).toBe(0)
    // Saved from the version now read, it goes through, with both tabs' changes.
    await page.click('.coding-form button[type=submit]')
    await eventually(() => page.locator('#notice').textContent()).toBe('Saved.')
    await editFirst(page)
    expect(await page.locator('.coding-form textarea[name=note]').inputValue()).toBe('Changed in this tab.')
    expect(await page.locator('.coding-form input[name=receivedLocality]').inputValue()).toBe('This-tab town')
    expect(await page.locator('.coding-form input[name=originLocality]').inputValue()).toBe('Other-tab town')
    await page.keyboard.press('Escape')
    await page.locator('.coding-form').waitFor({ state: 'detached' })
  })

  it('sets consent, disclosure and a pseudonym from the registry', async () => {
    // What the harassment did to the respondent: saved, the reader is drawn again (the consent
    // beside it re-records the same respondent and must send the version this save made).
    await page.locator('#impacts input[type=checkbox]').first().check()
    await page.click('#impacts button[type=submit]')
    await eventually(() => page.locator('#notice').textContent()).toBe('Saved.')
    await eventually(() => focused(page)).toBe('BUTTON in #impacts')
    expect(await page.locator('#impacts input[type=checkbox]').first().isChecked()).toBe(true)
    // The consent's answer is held back: until it is saved and the screen drawn again, the
    // screen takes no other change (one made meanwhile would be reset by that redraw).
    let release = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    await page.route(
      '**/consent',
      async (route) => {
        await held
        await route.continue()
      },
      { times: 1 },
    )
    try {
      await page.check('#consent input[value=anonymised_story]')
      await page.click('#consent button[type=submit]')
      await eventually(() => page.locator('#disclosure select[name=disclosure]').isDisabled()).toBe(true)
      expect(await page.locator('#assign-pseudonym').isDisabled()).toBe(true)
    } finally {
      release()
    }
    await eventually(() => page.locator('#consent input[value=anonymised_story]').isChecked()).toBe(true)
    // The keyboard is back on the button that saved, and "Saved." is said.
    await eventually(() => focused(page)).toBe('BUTTON in #consent')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('submit')
    expect(await page.locator('#notice').textContent()).toBe('Saved.')
    await page.selectOption('#disclosure select[name=disclosure]', 'pseudonym')
    await page.click('#disclosure button[type=submit]')
    await eventually(() => focused(page)).toBe('BUTTON in #disclosure')
    await page.click('#assign-pseudonym')
    await page.locator('#pseudonym p.content').waitFor()
    // The button is gone once the pseudonym is drawn: focus goes to that part's heading.
    await eventually(() => focused(page)).toBe('H3 in #pseudonym')
    expect((await page.locator('#pseudonym p.content').textContent())?.length).toBeGreaterThan(2)

    // Saved, but the screen cannot be drawn again (the testimony is not read this once): the
    // error is shown and the screen is usable again, not left held.
    await page.route(
      /\/api\/testimonies\/[0-9a-z]+\/[0-9a-z]+$/,
      (route) =>
        route.request().method() === 'GET'
          ? route.fulfill({
              status: 500,
              contentType: 'application/json',
              body: '{"error":"test.unreadable","message":"Synthetic failure."}',
            })
          : route.continue(),
      { times: 1 },
    )
    await page.click('#consent button[type=submit]')
    await eventually(() => page.locator('#notice').textContent()).toContain('Synthetic failure.')
    expect(await page.locator('#disclosure select[name=disclosure]').isDisabled()).toBe(false)
    expect(await page.locator('#consent button[type=submit]').isDisabled()).toBe(false)
    expect(await focused(page)).toBe('BUTTON in #consent')
  })

  it('never undoes a consent withdrawn in another tab with an older consent form', async () => {
    // Read the testimony afresh (the last save above was not drawn again).
    const hash = await page.evaluate(() => location.hash)
    await page.evaluate(() => {
      location.hash = '#/'
    })
    await page.locator('table.list').waitFor()
    await page.evaluate((to) => {
      location.hash = to
    }, hash)
    await page.locator('#consent').waitFor()
    expect(await page.locator('#consent input[name=withdrawn]').isChecked()).toBe(false)
    // Another tab records that the respondent withdrew their consent.
    await savedInAnotherTab(
      page,
      '#consent',
      async (other) => {
        await other.check('#consent input[name=withdrawn]')
      },
      '#consent button[type=submit]',
    )
    // This tab still shows the consent as it was: adding a use from it is refused, and the
    // withdrawal stays.
    await page.check('#consent input[value=quote]')
    await page.click('#consent button[type=submit]')
    await eventually(() => page.locator('#notice').textContent()).toContain(
      'someone changed or removed this record',
    )
    await eventually(() => page.locator('#consent input[name=withdrawn]').isChecked()).toBe(true)
    expect(await page.locator('#consent input[value=quote]').isChecked()).toBe(false)
    // From what it now shows, the analyst can change it (here, the withdrawal is taken back for
    // the story below): a save from the current read goes through.
    await page.uncheck('#consent input[name=withdrawn]')
    await page.click('#consent button[type=submit]')
    await eventually(() => page.locator('#notice').textContent()).toBe('Saved.')
    expect(await page.locator('#consent input[name=withdrawn]').isChecked()).toBe(false)
  })

  it('writes a case story under the pseudonym, checks it, and marks it for publication', async () => {
    const pseudonym = (await page.locator('#pseudonym p.content').textContent()) ?? ''
    await eventually(() => page.locator('#story-pseudonym').textContent()).toContain(pseudonym)
    await eventually(() => page.locator('#story-consent').textContent()).toBe(
      'Consent allows publishing an anonymised story.',
    )
    await page.fill('#story-form input[name=title]', 'Threats over the phone')
    const storyText = `${pseudonym} lives abroad. In 2019 they were told their family would suffer. Synthetic story.`
    await page.fill('#story-form textarea[dir=auto][name=text]', storyText)
    // Another save on the screen (the consent, again) draws the reader again: the story being
    // written is still there afterwards.
    const before = await page.locator('#story-form').elementHandle()
    await page.click('#consent button[type=submit]')
    await page.waitForFunction((form) => form?.isConnected === false, before)
    expect(await page.locator('#story-form input[name=title]').inputValue()).toBe('Threats over the phone')
    expect(await page.locator('#story-form textarea[name=text]').inputValue()).toBe(storyText)
    // Two quick presses save one story (the second used to write it again).
    await page.click('#story-form button[type=submit]', { clickCount: 2 })
    const listedStory = page.locator('#stories li[data-story]')
    await eventually(() => listedStory.count()).toBe(1)
    expect(await listedStory.textContent()).toContain('Threats over the phone')
    expect(await listedStory.locator('.badge').textContent()).toBe('Not marked')
    expect(await listedStory.locator('.findings').textContent()).toBe(
      'Check: no identifier, locality or exact date found.',
    )
    await listedStory.locator('button[data-action=mark]').focus()
    await page.keyboard.press('Enter')
    await eventually(() => listedStory.locator('.badge').textContent()).toBe('Marked for publication')
    // The list was drawn again: the keyboard is on the same story's button, not the top of the page.
    expect(
      await page.evaluate(() =>
        document.activeElement?.matches('#stories li[data-story] button[data-action=mark]'),
      ),
    ).toBe(true)
    expect(await listedStory.count()).toBe(1)
    expect(await axeViolations(page)).toEqual([])
  })

  it('does not overwrite a story revised in another tab with a revision from an older listing', async () => {
    const editStory = (tab: Page) => tab.locator('#stories li[data-story] button.link').first().click()
    await editStory(page)
    await page.fill('#story-form textarea[name=text]', 'This tab’s revision. Synthetic story.')
    await savedInAnotherTab(
      page,
      '#stories li[data-story]',
      async (other) => {
        await editStory(other)
        await other.fill('#story-form textarea[name=text]', 'Revised in the other tab. Synthetic story.')
      },
      '#story-form button[type=submit]',
    )
    await page.click('#story-form button[type=submit]')
    await eventually(() => page.locator('#notice').textContent()).toContain(
      'someone changed or removed this story',
    )
    // What this tab typed is still in the form; the story is the other tab's revision.
    expect(await page.locator('#story-form textarea[name=text]').inputValue()).toBe(
      'This tab’s revision. Synthetic story.',
    )
    const stored = await page.evaluate(
      (url) => fetch(url).then((r) => r.json() as Promise<{ stories: { text: string; publish: boolean }[] }>),
      `${new URL(page.url()).hash.replace('#/t/', '/api/respondents/').replace(/\/[0-9a-z]+$/, '')}/stories`,
    )
    expect(stored.stories.map((story) => [story.text, story.publish])).toEqual([
      ['Revised in the other tab. Synthetic story.', true],
    ])
  })

  it('keeps identifying details in the vault, off the screen until asked for, and removes them', async () => {
    const reveal = page.locator('#vault button[aria-controls=vault-body]')
    expect(await page.locator('#vault-form').count()).toBe(0)
    await reveal.click()
    await page.locator('#vault-form').waitFor()
    expect(await reveal.isHidden()).toBe(true)
    expect(
      await page.evaluate(() => document.activeElement?.matches('#vault-form textarea[name=names]')),
    ).toBe(true)
    await page.fill('#vault-form textarea[name=names]', 'Vaultmarker Synthetic')
    await page.fill('#vault-contacts input[name=contacts-value]', '+90 555 010 99 88')
    await page.click('#vault-contacts button')
    expect(await page.evaluate(() => document.activeElement?.matches('#vault-contacts select'))).toBe(true)
    expect(await page.locator('#vault-contacts select').count()).toBe(2)
    expect(await axeViolations(page)).toEqual([])
    // Another save on the screen draws the reader again: what was typed is still there.
    const before = await page.locator('#vault-form').elementHandle()
    await page.click('#consent button[type=submit]')
    await page.waitForFunction((form) => form?.isConnected === false, before)
    expect(await page.locator('#vault-form textarea[name=names]').inputValue()).toBe('Vaultmarker Synthetic')
    expect(await page.locator('#vault-contacts input[name=contacts-value]').first().inputValue()).toBe(
      '+90 555 010 99 88',
    )
    // Saved (two presses, one save), the details leave the screen and the keyboard is on the panel.
    await page.click('#vault-form button[type=submit]', { clickCount: 2 })
    await eventually(() => page.locator('#vault-form').count()).toBe(0)
    await eventually(() => page.evaluate(() => document.activeElement?.closest('#vault') !== null)).toBe(true)
    expect(await page.locator('body').textContent()).not.toContain('Vaultmarker')

    await page.locator('#vault button[aria-controls=vault-body]').click()
    await page.locator('#vault-form').waitFor()
    expect(await page.locator('#vault-form textarea[name=names]').inputValue()).toBe('Vaultmarker Synthetic')
    expect(await page.locator('#vault-contacts input[name=contacts-value]').first().inputValue()).toBe(
      '+90 555 010 99 88',
    )
    await page.click('#vault-form button.secondary')
    expect(await page.locator('#vault-form').count()).toBe(0)
    expect(
      await page.evaluate(() => document.activeElement?.matches('#vault button[aria-controls=vault-body]')),
    ).toBe(true)

    await page.locator('#vault button[aria-controls=vault-body]').click()
    page.once('dialog', (dialog) => void dialog.accept())
    await page.click('#vault-form button.danger')
    await eventually(() => page.locator('#vault-form').count()).toBe(0)
    await page.locator('#vault button[aria-controls=vault-body]').click()
    await page.locator('#vault-form').waitFor()
    expect(await page.locator('#vault-form textarea[name=names]').inputValue()).toBe('')
    expect(await page.locator('#vault-form button.danger').count()).toBe(0)
    await page.click('#vault-form button.secondary')
  })

  it('shows the coding screen in Uyghur, right to left, with the content in its own direction', async () => {
    await page.selectOption('#language', 'ug')
    await page.locator('html[dir=rtl][lang=ug]').waitFor()
    // The language switch sets dir and lang first, then renders the screen again: wait for the new title.
    await eventually(() => page.locator('#coding-title').textContent()).toContain('كودلاش')
    await page.locator('#incidents').waitFor()
    await eventually(() => page.locator('.source').textContent()).toContain(STORY_ZH)
    await page.screenshot({ path: SCREENSHOT, fullPage: true })
    process.stderr.write(`workbench screenshot (coding, Uyghur): ${SCREENSHOT}\n`)
    expect(await axeViolations(page)).toEqual([])
  })

  it('finds the testimony by a Uyghur word (a prefix of a suffixed form) and by a Chinese word inside a sentence', async () => {
    for (const words of ['ئۈرۈمچى', '微信']) {
      await page.goto(`${workbench.origin}/#/search`)
      await page.fill('#search-q', words)
      await page.press('#search-q', 'Enter')
      await page.locator('ol.hits li a').first().waitFor()
      expect(await page.locator('ol.hits li').count()).toBe(1)
      expect(await page.locator('ol.hits mark').count()).toBeGreaterThan(0)
    }
    await page.locator('ol.hits li a').first().click()
    await page.locator('#history').waitFor()
  })

  it('shows the record’s history with this analyst as the author of the coding', async () => {
    await page.locator('#history summary').click()
    await page.locator('#history li').first().waitFor()
    const history = (await page.locator('#history').textContent()) ?? ''
    expect(history).toContain('incident.recorded')
    expect(history).toContain('relative.recorded')
    expect(history).toContain('analyst')
  })

  it('enters an interview in the questionnaire, in interview mode, and opens it for coding', async () => {
    await page.goto(`${workbench.origin}/#/interview`)
    await page.locator('#q-story').waitFor()
    await page.selectOption('#q-residence_country', 'KZ')
    await page.fill('#q-story', INTERVIEW_STORY)
    await page.check('#q-consent input[value=aggregate]')
    await page.selectOption('form.interview select[name=country]', 'KZ')
    await page.fill('form.interview input[name=locality]', 'Almaty')

    // Incidents repeat: a new one takes the keyboard; removing one keeps what the others hold on
    // screen (the dates of the rest were blanked, while still held) and gives the keyboard to the group.
    await page.selectOption('#q-any_incidents', 'yes')
    const addIncident = page.locator('section.group').first().locator(':scope > button.secondary')
    await addIncident.press('Enter')
    expect(await focused(page)).toBe('SELECT#q-incidents-0-incident_type in #q-incidents-0')
    await page.fill('#q-incidents-0-incident_date', '2019-03')
    await addIncident.press('Enter')
    expect(await focused(page)).toBe('SELECT#q-incidents-1-incident_type in #q-incidents-1')
    // A date that does not read stops the save and says so (it used to be dropped without a word).
    await page.fill('#q-incidents-1-incident_date', '2019-13')
    await page.click('form.interview > button[type=submit]')
    expect(await focused(page)).toBe('INPUT#q-incidents-1-incident_date in #q-incidents-1')
    expect(
      await page
        .locator('#q-incidents-1-incident_date')
        .evaluate((input: HTMLInputElement) => input.validationMessage),
    ).toContain('YYYY-MM-DD')
    expect(await page.evaluate(() => location.hash)).toBe('#/interview')
    await page.fill('#q-incidents-1-incident_date', '2020')
    expect(
      await page
        .locator('#q-incidents-1-incident_date')
        .evaluate((input: HTMLInputElement) => input.validationMessage),
    ).toBe('')
    await page.locator('#q-incidents-0 button.danger').press('Enter')
    expect(await page.locator('#q-incidents-0-incident_date').inputValue()).toBe('2020')
    expect(await page.evaluate(() => document.activeElement?.matches('section.group > h3'))).toBe(true)
    await page.locator('#q-incidents-0 button.danger').click()
    await page.selectOption('#q-any_incidents', '')

    // Another language mid-interview draws the form again with everything entered so far.
    const language = await page.locator('#interview-language').inputValue()
    await page.selectOption('#interview-language', 'en')
    await eventually(() => page.locator('form.interview h2').first().textContent()).toBe('About you')
    expect(await page.locator('#q-story').inputValue()).toBe(INTERVIEW_STORY)
    expect(await page.locator('#q-residence_country').inputValue()).toBe('KZ')
    expect(await page.locator('#q-consent input[value=aggregate]').isChecked()).toBe(true)
    expect(await page.locator('form.interview input[name=locality]').inputValue()).toBe('Almaty')
    expect(await focused(page)).toMatch(/^SELECT#interview-language in /)
    await page.selectOption('#interview-language', language)

    // Two quick presses record one interview (the check is on the log, at the end).
    await page.click('form.interview > button[type=submit]', { clickCount: 2 })
    await page.locator('#incidents').waitFor()
    await eventually(() => page.locator('.source').textContent()).toContain(INTERVIEW_STORY)
    await eventually(() => page.locator('.reader-head').textContent()).toContain('زىيارەت')

    // A translation begun and not saved stays with the page while it is unlocked, across screens.
    interviewHash = await page.evaluate(() => location.hash)
    await page.fill('form.translation textarea[name=text]', TRANSLATION_DRAFT)
    await page.evaluate(() => (location.hash = '#/inbox'))
    await page.locator('table.list').waitFor()
    await page.evaluate((hash) => (location.hash = hash), interviewHash)
    await eventually(() => page.locator('form.translation textarea[name=text]').inputValue()).toBe(
      TRANSLATION_DRAFT,
    )
  })

  it('shows the dashboard charts, drawn from disclosure-controlled tables', async () => {
    await page.goto(`${workbench.origin}/#/dashboard`)
    await page.locator('#chart-types').waitFor()
    await eventually(() => page.locator('.charts img').count()).toBe(4)
    await eventually(() =>
      page.locator('#chart-types').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
    ).toBe(true)
  })

  it('builds the report from the dashboard, in the interface language', async () => {
    const language = await page.evaluate(() => document.documentElement.lang)
    await page.click('#build-report')
    // The button keeps the keyboard while it builds and after (a disabled one would drop it).
    await page.locator('#report-result p[dir=ltr]').waitFor({ timeout: 60_000 })
    expect(await page.locator('#report-result p[dir=ltr]').textContent()).toBe(join(ws, 'report', language))
    expect(await focused(page)).toBe('BUTTON#build-report in #view')
    expect(await page.locator('#build-report').getAttribute('aria-disabled')).toBeNull()
    expect(existsSync(join(ws, 'report', language, 'index.html'))).toBe(true)
  })

  it('locks itself after idling: the screen is wiped and the passphrase asked again', async () => {
    await page.locator('#passphrase').waitFor({ timeout: IDLE_MS + 15_000 })
    const text = (await page.locator('body').textContent()) ?? ''
    expect(text).not.toContain(STORY_UG)
    expect(text).not.toContain(STORY_ZH)
    expect(await page.evaluate(() => fetch('/api/testimonies').then((r) => r.status))).toBe(423)
  })

  it('unlocks again after the idle lock, with the same session, back on the screen it left', async () => {
    await page.fill('#passphrase', PASSPHRASE)
    await page.click('button[type=submit]')
    await page.click('button.profile')
    await page.locator('#lock').waitFor()
    await page.locator('#chart-types').waitFor()
    // The translation begun before the lock went with everything else.
    await page.evaluate((hash) => (location.hash = hash), interviewHash)
    await page.locator('form.translation textarea[name=text]').waitFor()
    expect(await page.locator('form.translation textarea[name=text]').inputValue()).toBe('')
  })

  it('recodes to a new codebook version from its screen, once for two presses', async () => {
    await page.evaluate(() => (location.hash = '#/recode'))
    await page.locator('form.recode').waitFor()
    // Version 1.1.0 adds one harassment type (synthetic).
    const yaml = codebookWithNewType('1.1.0')
    // Put in as a paste would: page.fill types long text so slowly in this Chromium (16 s for
    // these 44 KB) that the workbench locked itself for idleness before the press.
    await page.locator('form.recode textarea[name=codebook]').evaluate((area: HTMLTextAreaElement, text) => {
      area.value = text
      area.dispatchEvent(new Event('input', { bubbles: true }))
    }, yaml)
    await page.click('form.recode button[type=submit]', { clickCount: 2 })
    await page.locator('#recode-report h2').waitFor()
    // The outcome takes the keyboard, and the second press neither recoded again nor was refused.
    expect(await focused(page)).toBe('H2 in #recode-report')
    expect(await page.locator('#notice.error').count()).toBe(0)
    // Coding goes on under the new version: its new type is offered, by its label (the interface is in Uyghur by now).
    await page.evaluate(() => (location.hash = '#/inbox'))
    await page.locator('table.list tbody tr a').first().click()
    await eventually(() => page.locator('#coding-title small').textContent()).toContain('1.1.0')
    await page.locator('body').press('n')
    await page.locator('.coding-form select[name=type]').waitFor()
    expect(
      await page.locator('.coding-form select[name=type] option[value=synthetic_new_type]').textContent(),
    ).toBe('سىنتېتىك يېڭى تۈر')
  })

  it('made no request outside 127.0.0.1', () => {
    expect(requests.length).toBeGreaterThan(5)
    // The dashboard's charts are blobs the page made from the server's SVG: in-memory, same origin.
    const local = (url: string) =>
      url.startsWith(`${workbench.origin}/`) || url.startsWith(`blob:${workbench.origin}/`)
    expect(requests.filter((url) => !local(url))).toEqual([])
  })

  it('left nothing the analyst read or typed in the browser’s profile', async () => {
    // The analyst's own browser keeps a profile on the disk, outside the workspace: its cache,
    // history, autofill and session files must hold nothing of what the workbench showed or what
    // was typed into it (every answer is no-store; no form is one the browser remembers).
    await browser.close()
    const shown = [
      STORY_UG,
      STORY_ZH,
      SECOND_STORY,
      INTERVIEW_STORY,
      TRANSLATION_DRAFT,
      PASSPHRASE,
      'wxid_syn_browsertest',
      'Vaultmarker Synthetic',
      '+90 555 010 99 88',
      'This-tab town',
      'Threats over the phone',
      'Synthetic story.',
    ]
    expect(filesBelow(browser.profileDir).length).toBeGreaterThan(20)
    expect(Object.fromEntries(filesContaining(browser.profileDir, shown))).toEqual({})
  })

  it('recorded the coding in the workspace, under the analyst who did it', async () => {
    await workbench.close()
    const workspace = await openWorkspace(ws, PASSPHRASE)
    try {
      const events = await workspace.store.events({ limit: 10_000 })
      const interviews = events.filter(
        (e) =>
          e.kind === 'testimony.imported' &&
          e.body?.kind === 'testimony.imported' &&
          e.body.testimony.source.mode === 'interview',
      )
      expect(interviews).toHaveLength(1)
      const interview = interviews[0]
      expect(interview?.body).toMatchObject({
        testimony: {
          source: {
            mode: 'interview',
            place: { country: 'KZ', locality: 'Almaty' },
            consentGivenOrally: true,
          },
        },
      })
      // The recode (one adoption of 1.1.0, however often it was pressed) records every incident
      // again under the new version; the coding is what came before it.
      const adoptions = events.filter(
        (e) =>
          e.kind === 'codebook.adopted' &&
          e.body?.kind === 'codebook.adopted' &&
          e.body.codebook.version === '1.1.0',
      )
      expect(adoptions).toHaveLength(1)
      const recodedAt = adoptions[0]?.seq ?? 0
      const coded = events.filter((e) => e.kind === 'incident.recorded' && e.seq < recodedAt)
      // Three new incidents and two edits of the first: the other tab's, then this tab's, put
      // back on top of it; the edit made from the older read was never recorded as it was.
      expect(coded).toHaveLength(5)
      const edits = coded
        .slice(-2)
        .map((e) => (e.body?.kind === 'incident.recorded' ? e.body.incident : null))
      expect(edits.map((i) => [i?.note, i?.receivedIn.locality, i?.originatedIn.locality])).toEqual([
        ['Changed in the other tab.', undefined, 'Other-tab town'],
        ['Changed in this tab.', 'This-tab town', 'Other-tab town'],
      ])
      expect(new Set(coded.map((e) => e.author))).toEqual(new Set([workspace.analyst.id]))
      const named = await workspace.store.db
        .selectFrom('respondents')
        .selectAll()
        .where('pseudonym', 'is not', null)
        .execute()
      expect(named).toHaveLength(1)
      expect(named[0]?.disclosure).toBe('pseudonym')
      expect(named[0]?.consent_uses).toContain('anonymised_story')
      // The vault entry was saved once for two presses (one entry key), then removed.
      expect(events.filter((e) => e.kind === 'vault.keyed')).toHaveLength(1)
      expect(existsSync(join(ws, 'vault')) ? readdirSync(join(ws, 'vault')) : []).toEqual([])
      const story = events.findLast((e) => e.kind === 'story.recorded')
      expect(story?.author).toBe(workspace.analyst.id)
      expect(story?.body).toMatchObject({ story: { title: 'Threats over the phone', publish: true } })
    } finally {
      await workspace.close()
    }
  })
})
