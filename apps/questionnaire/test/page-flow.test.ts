import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ageCliAvailable, chromiumAvailable } from '../../../tools/test-support/services.ts'
import { launchBrowser, type Browser } from '../../../tools/test-support/browser.ts'
import { identifyingJpeg } from './support/images.ts'
import { orgKeys, signQuestionnaire } from './support/keys.ts'
import { control, enter, forward, openInvite, openStage, waitForThanks, type Stage } from './support/page-harness.ts'
import { attachment, longText, questionnaire, section, shortText, yesNo } from './support/questionnaires.ts'

/**
 * The page's behaviour end to end against the real intake server: it refuses to seal to anything
 * the invite's key did not sign, previews without submitting, leaves at once on quick exit, and
 * works with JavaScript's JIT off over a slow link (the stand-in for Tor Browser's "Safer" level).
 */

const flowTest = questionnaire(
  'flow-test',
  section('Words', shortText('place'), yesNo('more_to_say'), longText('story', { showIf: { op: 'equals', question: 'more_to_say', value: true } })),
  section('Files', attachment('evidence')),
)

let stage: Stage
let browser: Browser

describe.skipIf(!(chromiumAvailable() && ageCliAvailable()))('the questionnaire page', () => {
  beforeAll(async () => {
    stage = await openStage(flowTest)
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser.dispose()
    await stage.close()
  })

  const posts: string[] = []
  beforeAll(() => {
    browser.context.on('request', (request) => {
      if (request.method() === 'POST') posts.push(new URL(request.url()).pathname)
    })
  })

  it('refuses to seal when the server swaps the recipient set (the signature no longer verifies)', async () => {
    const { keys } = stage
    const signed = signQuestionnaire(keys.signing, flowTest, [keys.analyst.recipient, keys.backup.recipient])
    const intruder = await orgKeys()
    const tampered = { ...signed, document: { ...signed.document, recipients: [intruder.analyst.recipient, keys.backup.recipient] } }
    await stage.server.publish(flowTest.id, tampered)
    try {
      const before = posts.length
      await browser.page.goto('about:blank')
      await browser.page.goto(stage.link(await stage.invite()))
      await browser.page.waitForSelector('#screen-heading:text-matches("could not be verified")')
      expect(await browser.page.locator('#progress-text').count()).toBe(0)
      expect(await browser.page.locator('textarea, input[type="text"]').count()).toBe(0)
      expect(posts.length).toBe(before)
    } finally {
      await stage.server.publish(flowTest.id, signQuestionnaire(keys.signing, flowTest, [keys.analyst.recipient, keys.backup.recipient]))
    }
  })

  it('refuses a questionnaire signed by a key other than the one the invite names', async () => {
    const invite = { ...(await stage.invite()), fingerprint: (await orgKeys()).signing.fingerprint }
    await browser.page.goto('about:blank')
    await browser.page.goto(stage.link(invite))
    await browser.page.waitForSelector('#screen-heading:text-matches("could not be verified")')
  })

  it('asks for a code when opened without an invite, and says when a link is incomplete', async () => {
    const { page } = browser
    await page.goto('about:blank')
    await page.goto(`${stage.server.url}/`)
    await page.waitForSelector('#invite-code')
    await page.fill('#invite-code', 'not-a-code')
    await page.keyboard.press('Enter')
    await page.waitForSelector('#invite-error')
    expect(await page.inputValue('#invite-code')).toBe('')
    await page.goto('about:blank')
    await page.goto(`${stage.server.url}/#q=flow-test&t=short`)
    await page.waitForSelector('#invite-error:text-matches("incomplete")')
    expect(page.url()).toBe(`${stage.server.url}/`)
  })

  it('previews a questionnaire without an invite, and cannot submit', async () => {
    const { page } = browser
    const before = posts.length
    await page.goto('about:blank')
    await page.goto(`${stage.server.url}/#preview&q=${flowTest.id}`)
    await page.waitForSelector('.banner:text-matches("Preview")')
    await enter(page, control('place'), 'preview text')
    await forward(page)
    const send = page.locator('.actions button.primary')
    expect(await send.isDisabled()).toBe(true)
    expect(posts.length).toBe(before)
  })

  it('shows a question only when its condition holds, and seals only what was shown', async () => {
    const { page } = browser
    await openInvite(page, stage.link(await stage.invite()))
    expect(await page.isHidden('[data-field="f-story"]')).toBe(true)
    await page.check('#f-more_to_say-yes')
    expect(await page.isVisible('[data-field="f-story"]')).toBe(true)
    await enter(page, control('story'), 'written, then hidden again')
    await page.check('#f-more_to_say-no')
    expect(await page.isHidden('[data-field="f-story"]')).toBe(true)
    await forward(page)
    await forward(page)
    await waitForThanks(page)
    const [item] = await stage.newItems()
    expect(stage.plaintextOf(item!).answers).toEqual({ more_to_say: false })
  })

  it('quick exit replaces the page with a blank one and Back does not return to the answers', async () => {
    const { page } = browser
    await page.goto('data:text/html,<title>the chat app</title>')
    await page.goto(stage.link(await stage.invite()))
    await page.waitForSelector('#progress-text')
    await enter(page, control('place'), 'something private')
    await page.click('button.exit')
    await page.waitForURL('about:blank')
    // The questionnaire's history entry was replaced: Back goes to what came before it.
    await page.goBack()
    expect(page.url()).toMatch(/^data:/)
  })

  it('quick exit also answers Escape pressed twice', async () => {
    const { page } = browser
    await openInvite(page, stage.link(await stage.invite()))
    await page.keyboard.press('Escape')
    await page.keyboard.press('Escape')
    await page.waitForURL('about:blank')
  })

  it('starts over for a second invite link opened in the same tab', async () => {
    const { page } = browser
    await openInvite(page, stage.link(await stage.invite()))
    await enter(page, control('place'), 'first invite')
    const second = await stage.invite()
    await page.evaluate((hash) => {
      window.location.hash = hash
    }, new URL(stage.link(second)).hash)
    await page.waitForFunction(() => window.location.hash === '' && document.querySelector('#progress-text') !== null)
    expect(await page.inputValue(control('place'))).toBe('')
    await forward(page)
    await forward(page)
    await waitForThanks(page)
    expect((await stage.newItems()).length).toBe(1)
  })

  it('works with the JIT off over a slow link (the stand-in for Tor Browser at "Safer")', async () => {
    const safer = await launchBrowser({ args: ['--js-flags=--jitless'] })
    try {
      const cdp = await safer.context.newCDPSession(safer.page)
      // Roughly a poor Tor circuit: 600 ms round trips, 100 KB/s down, 50 KB/s up.
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 600, downloadThroughput: 100_000, uploadThroughput: 50_000 })
      await safer.page.goto(stage.link(await stage.invite()), { timeout: 120_000 })
      await safer.page.waitForSelector('#progress-text', { timeout: 120_000 })
      await enter(safer.page, control('place'), 'Almaty')
      await forward(safer.page)
      await safer.page.setInputFiles(control('evidence'), { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(await identifyingJpeg()) })
      await safer.page.waitForSelector('#f-evidence-file-0-name')
      await forward(safer.page)
      await safer.page.waitForSelector('h1#screen-heading:text-is("Thank you.")', { timeout: 120_000 })
      const [item] = await stage.newItems()
      const plaintext = stage.plaintextOf(item!)
      expect(plaintext.answers.place).toBe('Almaty')
      expect(plaintext.attachments).toHaveLength(1)
    } finally {
      await safer.dispose()
    }
  })
})
