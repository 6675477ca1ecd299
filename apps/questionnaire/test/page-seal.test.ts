import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { QUESTION_LIMITS, type Questionnaire } from '@amanat/domain'
import { ageCliAvailable, chromiumAvailable } from '../../../tools/test-support/services.ts'
import { sized } from '../../../tools/test-support/profile.ts'
import { stripImageMetadata } from '../src/strip-metadata.ts'
import { launchBrowser, type Browser } from '../../../tools/test-support/browser.ts'
import { identifyingJpeg, identifyingPng, identifyingWebp } from './support/images.ts'
import { control, enter, forward, openInvite, openStage, waitForThanks, type Stage } from './support/page-harness.ts'
import { attachment, longText, questionnaire, section, shortText } from './support/questionnaires.ts'

/**
 * SECURITY-TESTS.md T11: answers sealed by the real page, in headless Chromium, decrypt with
 * Debian's `age` command with the analyst key and with the backup key, and say exactly what was
 * typed; attachments come back as the cleaned bytes; every file has exactly one X25519 stanza per
 * recipient and nothing else.
 */

const LONG = QUESTION_LIMITS.longTextMax // the questionnaire format's longest text answer, in UTF-16 code units

const sealTest: Questionnaire = questionnaire(
  'seal-test',
  section('Words', shortText('place', { maxLength: 1000 }), longText('story', { maxLength: LONG }), longText('more', { maxLength: LONG })),
  section('Files', attachment('evidence', { maxFiles: 3 })),
)

/** Phrases in the scripts respondents write in (synthetic, no real people). */
const PHRASES = [
  'ئاكامنى 2017-يىلى تۇتۇپ كەتتى', // Uyghur, Arabic script
  '\u200fئۇيغۇرچە\u200f بىلەن English ئارىلاش', // with RTL marks
  'Akamni 2017-yili tutup ketti', // Uyghur, Latin script
  'Акамни 2017-жили тутуп кәтти', // Uyghur, Cyrillic script
  '我的哥哥在乌鲁木齐被拘留', // Chinese
  'İstanbul’da yaşıyorum; ağabeyim gözaltında', // Turkish
  'Алматыда тұрамын', // Kazakh
  '🌙 👨‍👩‍👧‍👦 🏳️‍🌈 ✊🏽', // emoji with ZWJ sequences and skin tones
  '"quotes" \\ back\\slash </script> & <b>', // JSON and HTML specials
  '   ', // blank: counts as no answer
  '',
]

const line = fc.array(fc.constantFrom(...PHRASES), { maxLength: 6 }).map((parts) => parts.join(' '))
const text = fc.array(line, { maxLength: 4 }).map((lines) => lines.join('\n'))

interface AnswerSet {
  readonly place: string
  readonly story: string
  readonly more: string
  readonly files: readonly number[]
}

const answerSet: fc.Arbitrary<AnswerSet> = fc.record({
  place: line,
  story: text,
  more: text,
  files: fc.array(fc.nat(2), { maxLength: 3 }),
})

/** `phrase` repeated up to exactly `length` UTF-16 code units (never splitting a surrogate pair). */
function fillTo(length: number, phrase: string): string {
  let out = phrase.repeat(Math.ceil(length / phrase.length)).slice(0, length)
  if (/[\ud800-\udbff]$/.test(out)) out = `${out.slice(0, -1)}.`
  return out
}

/** Fixed cases first: every script at once with three files, nothing at all, the largest texts. */
const FIXED: AnswerSet[] = [
  { place: PHRASES.slice(0, 8).join(' '), story: PHRASES.join('\n'), more: '🌙'.repeat(50), files: [0, 1, 2] },
  { place: '', story: '', more: '', files: [] },
  // One field of more than 1 MiB of UTF-8 on its own, and a long mixed-script one beside it.
  { place: 'big', story: fillTo(360_000, '我的哥哥在乌鲁木齐被拘留。'), more: fillTo(60_000, '他们说 ئاكامنى تۇتۇپ كەتتى 🌙\n'), files: [] },
]

let stage: Stage
let browser: Browser
let corpus: Uint8Array[]

const available = chromiumAvailable() && ageCliAvailable()

describe.skipIf(!available)('the page seals answers that Debian\'s age opens (T11)', () => {
  beforeAll(async () => {
    stage = await openStage(sealTest)
    browser = await launchBrowser()
    corpus = [await identifyingJpeg(), await identifyingPng(), await identifyingWebp()]
  })
  afterAll(async () => {
    await browser.dispose()
    await stage.close()
  })

  it('covers a single field of more than 1 MiB of UTF-8', () => {
    expect(new TextEncoder().encode(FIXED[2]?.story ?? '').byteLength).toBeGreaterThan(1024 * 1024)
  })

  async function submitThroughPage(set: AnswerSet): Promise<void> {
    const { page } = browser
    await openInvite(page, stage.link(await stage.invite()))
    await enter(page, control('place'), set.place)
    await enter(page, control('story'), set.story)
    await enter(page, control('more'), set.more)
    await forward(page)
    await page.waitForSelector(control('evidence'), { state: 'attached' })
    for (const [k, which] of set.files.entries()) {
      const bytes = corpus[which] ?? new Uint8Array()
      await page.setInputFiles(control('evidence'), { name: `photo-${k}.bin`, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) })
      await page.waitForSelector(`#f-evidence-file-${k}-name`)
    }
    await forward(page)
    await waitForThanks(page)
  }

  const expected = (value: string) => (value.trim() === '' ? undefined : value)

  it(`decrypts, with both keys, to exactly what was typed (${sized(5, 200) + FIXED.length} answer sets)`, async () => {
    const sets = [...FIXED, ...fc.sample(answerSet, { numRuns: sized(5, 200), seed: 11 })]
    for (const set of sets) {
      await submitThroughPage(set)
      const items = await stage.newItems()
      expect(items).toHaveLength(1)
      const item = items[0]!
      expect(item.kind).toBe('submission')

      // age's header: exactly one X25519 stanza per recipient, nothing that names a recipient.
      const ciphertext = Buffer.from(item.ciphertext, 'base64')
      const header = ciphertext.subarray(0, ciphertext.indexOf('\n---')).toString('latin1')
      const stanzas = header.split('\n').filter((l) => l.startsWith('-> '))
      expect(stanzas).toHaveLength(2)
      expect(stanzas.every((s) => /^-> X25519 [A-Za-z0-9+/]{43}$/.test(s))).toBe(true)

      const analyst = stage.plaintextOf(item, 'analyst')
      const backup = stage.plaintextOf(item, 'backup')
      expect(backup).toEqual(analyst)
      const answers: Record<string, unknown> = { place: expected(set.place), story: expected(set.story), more: expected(set.more) }
      const uploads = analyst.attachments.map((a) => a.upload)
      if (set.files.length > 0) answers.evidence = uploads
      expect(analyst.answers).toEqual(JSON.parse(JSON.stringify(answers)))
      expect(analyst.attachments.map((a) => [a.name, a.metadataKept])).toEqual(set.files.map((_, k) => [`photo-${k}.bin`, false]))

      for (const [k, ref] of analyst.attachments.entries()) {
        const original = corpus[set.files[k] ?? 0] ?? new Uint8Array()
        const cleaned = stripImageMetadata(original)
        if (cleaned.kind !== 'cleaned') throw new Error('fixture')
        for (const who of ['analyst', 'backup'] as const) {
          const content = await stage.attachmentContent(ref.upload, ref.byteLength, who)
          expect(Buffer.from(content).equals(Buffer.from(cleaned.bytes))).toBe(true)
        }
        expect(ref.mediaType).toBe(cleaned.mediaType)
      }
    }
  })
})
