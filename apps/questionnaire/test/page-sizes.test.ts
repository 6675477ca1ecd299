import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ageCliAvailable, chromiumAvailable } from '../../../tools/test-support/services.ts'
import { sized } from '../../../tools/test-support/profile.ts'
import { SUBMISSION_BUCKETS, submissionBucket } from '../src/pad.ts'
import { launchBrowser, type Browser } from '../../../tools/test-support/browser.ts'
import { control, enter, forward, openInvite, openStage, waitForThanks, type Stage } from './support/page-harness.ts'
import { longText, questionnaire, section } from './support/questionnaires.ts'

/**
 * SECURITY-TESTS.md T23 through the page: submissions of any length are stored as ciphertexts of
 * at most as many distinct sizes as there are padding buckets, each size fixed by its bucket.
 */

const sizesTest = questionnaire('sizes-test', section('Words', longText('story', { maxLength: 200_000 }), longText('more', { maxLength: 200_000 })))

/** Lengths spread over orders of magnitude, so every bucket up to 1 MiB is hit. */
const lengths = fc.tuple(fc.integer({ min: 0, max: 17 }), fc.double({ min: 0, max: 1, noNaN: true })).map(([exp, f]) => Math.min(200_000, Math.floor(2 ** exp * (1 + f) * 1.5)))

let stage: Stage
let browser: Browser

describe.skipIf(!(chromiumAvailable() && ageCliAvailable()))('stored sizes say only a bucket (T23)', () => {
  beforeAll(async () => {
    stage = await openStage(sizesTest)
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser.dispose()
    await stage.close()
  })

  it(`gives at most ${SUBMISSION_BUCKETS.length} distinct ciphertext sizes, one per bucket (${sized(12, 300)} submissions)`, async () => {
    const cases = fc.sample(fc.tuple(lengths, lengths, fc.boolean()), { numRuns: sized(12, 300), seed: 23 })
    // The extremes: nothing at all, and two full answers of three-byte characters (> 1 MiB).
    cases.push([0, 0, false], [200_000, 200_000, true])
    const sizeOfBucket = new Map<number, Set<number>>()
    for (const [a, b, wide] of cases) {
      const unit = wide ? '乌' : 'a'
      await openInvite(browser.page, stage.link(await stage.invite()))
      await enter(browser.page, control('story'), unit.repeat(a))
      // (Long Arabic-script runs are slow for Chromium to lay out; the bytes are what matter here.)
      await enter(browser.page, control('more'), unit.repeat(b))
      await forward(browser.page)
      await waitForThanks(browser.page)
      const [item] = await stage.newItems()
      const ciphertext = Buffer.from(item!.ciphertext, 'base64')
      const plaintext = stage.ageDecrypt(ciphertext, 'analyst')
      const json = new TextDecoder().decode(plaintext).trimEnd()
      const bucket = submissionBucket(new TextEncoder().encode(json).length)
      expect(plaintext.length).toBe(bucket)
      sizeOfBucket.set(bucket!, new Set([...(sizeOfBucket.get(bucket!) ?? []), ciphertext.length]))
    }
    const distinct = new Set([...sizeOfBucket.values()].flatMap((s) => [...s]))
    expect(distinct.size).toBeLessThanOrEqual(SUBMISSION_BUCKETS.length)
    for (const [bucket, sizes] of sizeOfBucket) expect(sizes.size, `bucket ${bucket}`).toBe(1)
    expect(sizeOfBucket.size).toBeGreaterThanOrEqual(4)
  })
})
