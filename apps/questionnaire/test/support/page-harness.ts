import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { SubmissionPlaintext, type InviteToken, type PulledItem, type Questionnaire } from '@amanat/domain'
import { formatInviteCode, formatInviteFragment, type Invite } from '../../src/invite.ts'
import { unpadAttachment } from '../../src/pad.ts'
import { startIntakeServer, newToken, type IntakeServer } from './intake-server.ts'
import { orgKeys, signQuestionnaire, type OrgKeys } from './keys.ts'
import { buildPageInto } from './page-build.ts'

/**
 * One questionnaire published on a real intake server serving the built page, with the keys to
 * open what arrives: what every browser test starts from.
 */
export interface Stage {
  readonly server: IntakeServer
  readonly keys: OrgKeys
  readonly questionnaire: Questionnaire
  /** Registers a fresh invite and returns it. */
  invite(): Promise<Invite>
  /** The invite link (token in the fragment). */
  link(invite: Invite): string
  /** The invite as a code to type. */
  code(invite: Invite): string
  /** Items stored since the last call. */
  newItems(): Promise<PulledItem[]>
  /** Decrypts with Debian's `age -d -i` and the analyst's (or the backup's) identity file. */
  ageDecrypt(ciphertext: Uint8Array, who: 'analyst' | 'backup'): Uint8Array
  /** The submission plaintext of a pulled item, opened with `age` and the analyst key. */
  plaintextOf(item: PulledItem, who?: 'analyst' | 'backup'): SubmissionPlaintext
  /** An attachment's content as the analyst recovers it: upload fetched, decrypted with `age`, unpadded. */
  attachmentContent(upload: string, byteLength: number, who?: 'analyst' | 'backup'): Promise<Uint8Array>
  close(): Promise<void>
}

export async function openStage(questionnaire: Questionnaire): Promise<Stage> {
  const [pageDir, keys] = await Promise.all([buildPageInto(), orgKeys()])
  const server = await startIntakeServer(pageDir)
  const signed = signQuestionnaire(keys.signing, questionnaire, [keys.analyst.recipient, keys.backup.recipient])
  await server.publish(questionnaire.id, signed)
  const keyDir = mkdtempSync(join(tmpdir(), 'amanat-q-keys-'))
  const keyFile = { analyst: join(keyDir, 'analyst.txt'), backup: join(keyDir, 'backup.txt') }
  writeFileSync(keyFile.analyst, `${keys.analyst.identity}\n`, { mode: 0o600 })
  writeFileSync(keyFile.backup, `${keys.backup.identity}\n`, { mode: 0o600 })
  let seen = 0
  const ageDecrypt = (ciphertext: Uint8Array, who: 'analyst' | 'backup') =>
    new Uint8Array(execFileSync('age', ['-d', '-i', keyFile[who]], { input: ciphertext, maxBuffer: 256 * 1024 * 1024 }))
  return {
    server,
    keys,
    questionnaire,
    invite: async () => {
      const token: InviteToken = newToken()
      await server.invite(questionnaire.id, [token])
      return { questionnaireId: questionnaire.id, token, fingerprint: keys.signing.fingerprint }
    },
    link: (invite) => `${server.url}/#${formatInviteFragment(invite)}`,
    code: (invite) => formatInviteCode(invite),
    newItems: async () => {
      const items = await server.pull()
      const fresh = items.slice(seen)
      seen = items.length
      return fresh
    },
    ageDecrypt,
    plaintextOf: (item, who = 'analyst') => {
      const bytes = ageDecrypt(Buffer.from(item.ciphertext, 'base64'), who)
      return SubmissionPlaintext.parse(JSON.parse(new TextDecoder().decode(bytes)))
    },
    attachmentContent: async (upload, byteLength, who = 'analyst') =>
      unpadAttachment(ageDecrypt(await server.upload(upload), who), byteLength),
    close: async () => {
      await server.stop()
      rmSync(keyDir, { recursive: true, force: true })
      rmSync(pageDir, { recursive: true, force: true })
    },
  }
}

/** Waits until the page shows its thank-you heading (the submission was acknowledged). */
export async function waitForThanks(page: Page): Promise<string> {
  await page.waitForSelector('h1#screen-heading:text-matches("^(Thank you\\.|رەھمەت\\.|谢谢。|Teşekkürler\\.)$")', { timeout: 60_000 })
  return page.locator('#main').innerText()
}

/** Opens the invite link and waits for the first questionnaire page. */
export async function openInvite(page: Page, url: string): Promise<void> {
  // From a blank page, so that each invite is a fresh load, as when a respondent taps a link.
  await page.goto('about:blank')
  await page.goto(url)
  await page.waitForSelector('#progress-text', { timeout: 30_000 })
}

/** The DOM id of a question's control (see render/section.ts). */
export const control = (path: string) => `#f-${path.replace(/[[\].]+/g, '-').replace(/-$/, '')}-input`

/**
 * Puts `text` into a text control as a respondent pasting it would, and lets the page's input
 * handler read it. Long texts are set in one step (Playwright's `fill` inserts them so slowly that
 * a 200,000-character Uyghur text takes minutes); the handler sees the same value either way.
 */
export async function enter(page: Page, selector: string, text: string): Promise<void> {
  if (text.length <= 5000) {
    await page.fill(selector, text)
    return
  }
  await page.locator(selector).evaluate((element, value) => {
    const control = element as HTMLTextAreaElement
    control.focus()
    control.value = value
    control.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }))
  }, text)
}

/** Clicks the page's forward button (Next, or the send button on the last page). */
export async function forward(page: Page): Promise<void> {
  await page.locator('.actions button.primary').click()
}
