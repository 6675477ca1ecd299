import exifr from 'exifr'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AttachmentRef } from '@amanat/domain'
import { ageCliAvailable, chromiumAvailable } from '../../../tools/test-support/services.ts'
import { launchBrowser, type Browser } from '../../../tools/test-support/browser.ts'
import { hasMarker, identifyingJpeg, identifyingPdf, identifyingPng, identifyingWebp, pixelFloodPng } from './support/images.ts'
import { control, forward, openInvite, openStage, waitForThanks, type Stage } from './support/page-harness.ts'
import { attachment, questionnaire, section } from './support/questionnaires.ts'

/**
 * SECURITY-TESTS.md T13 through the real page: images lose EXIF/GPS/XMP/IPTC/thumbnails in the
 * browser before sealing; "keep metadata" keeps them and says so inside the ciphertext; a file the
 * page cannot clean needs explicit consent; a pixel flood is refused in the browser.
 */

const metadataTest = questionnaire('metadata-test', section('Files', attachment('evidence', { maxFiles: 5 })))

async function metadataOf(bytes: Uint8Array): Promise<Record<string, unknown>> {
  const parsed = (await exifr.parse(Buffer.from(bytes), {
    tiff: true, ifd1: true, exif: true, gps: true, interop: true, makerNote: true, xmp: true, iptc: true, icc: true,
    jfif: false, ihdr: false, mergeOutput: false,
  })) as Record<string, unknown> | undefined
  return parsed ?? {}
}

let stage: Stage
let browser: Browser

describe.skipIf(!(chromiumAvailable() && ageCliAvailable()))('image metadata in the page (T13)', () => {
  beforeAll(async () => {
    stage = await openStage(metadataTest)
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser.dispose()
    await stage.close()
  })

  async function attach(name: string, bytes: Uint8Array, mimeType: string, index: number): Promise<void> {
    await browser.page.setInputFiles(control('evidence'), { name, mimeType, buffer: Buffer.from(bytes) })
    await browser.page.waitForSelector(`#f-evidence-file-${index}-name`)
  }

  async function submitted(): Promise<{ refs: AttachmentRef[]; content: (ref: AttachmentRef) => Promise<Uint8Array> }> {
    await waitForThanks(browser.page)
    const [item] = await stage.newItems()
    if (item === undefined) throw new Error('nothing stored')
    const plaintext = stage.plaintextOf(item)
    return { refs: plaintext.attachments, content: (ref) => stage.attachmentContent(ref.upload, ref.byteLength) }
  }

  it('strips every identifying block from JPEG, PNG and WebP, and sends a PDF only with consent', async () => {
    const { page } = browser
    await openInvite(page, stage.link(await stage.invite()))
    const files = [
      { name: 'IMG_1.jpg', bytes: await identifyingJpeg(), type: 'image/jpeg' },
      { name: 'rotated.jpg', bytes: await identifyingJpeg({ width: 64, height: 32, orientation: 6, progressive: true }), type: 'image/jpeg' },
      { name: 'screen.png', bytes: await identifyingPng(), type: 'image/png' },
      { name: 'chat.webp', bytes: await identifyingWebp(), type: 'image/webp' },
      { name: 'summons.pdf', bytes: identifyingPdf(), type: 'application/pdf' },
    ]
    for (const [k, file] of files.entries()) await attach(file.name, file.bytes, file.type, k)
    expect(await page.isChecked('#f-evidence-file-0-keep')).toBe(false)

    // Not yet consented to the PDF: the page refuses to send and says why.
    await forward(page)
    await page.waitForSelector('[data-field="f-evidence"] .error-text:text-matches("sent as it is")')
    await page.check('#f-evidence-file-4-consent')
    await forward(page)
    const { refs, content } = await submitted()

    expect(refs.map((r) => [r.name, r.mediaType, r.metadataKept])).toEqual([
      ['IMG_1.jpg', 'image/jpeg', false],
      ['rotated.jpg', 'image/jpeg', false],
      ['screen.png', 'image/png', false],
      ['chat.webp', 'image/webp', false],
      ['summons.pdf', 'application/pdf', true],
    ])
    for (const ref of refs.slice(0, 4)) {
      const bytes = await content(ref)
      expect(hasMarker(bytes), ref.name ?? '').toBe(false)
      if (ref.mediaType === 'image/webp') {
        // exifr does not read WebP: look for the chunks themselves.
        for (const chunk of ['EXIF', 'XMP ', 'ICCP']) expect(Buffer.from(bytes).includes(chunk)).toBe(false)
        continue
      }
      const meta = await metadataOf(bytes)
      expect(meta, ref.name ?? '').toEqual(ref.name === 'rotated.jpg' ? { ifd0: { Orientation: 'Rotate 90 CW' } } : {})
      expect(await exifr.thumbnail(Buffer.from(bytes))).toBeUndefined()
      expect(await exifr.gps(Buffer.from(bytes))).toBeUndefined()
    }
    const rotated = await sharp(Buffer.from(await content(refs[1]!))).rotate().toBuffer({ resolveWithObject: true })
    expect([rotated.info.width, rotated.info.height]).toEqual([32, 64])
    expect(Buffer.from(await content(refs[4]!)).equals(Buffer.from(identifyingPdf()))).toBe(true)
  })

  it('keeps the metadata of an image when the respondent chooses to, and records that choice inside', async () => {
    const { page } = browser
    await openInvite(page, stage.link(await stage.invite()))
    const original = await identifyingJpeg()
    await attach('evidence.jpg', original, 'image/jpeg', 0)
    await page.check('#f-evidence-file-0-keep')
    await forward(page)
    const { refs, content } = await submitted()
    expect(refs.map((r) => r.metadataKept)).toEqual([true])
    const bytes = await content(refs[0]!)
    expect(Buffer.from(bytes).equals(Buffer.from(original))).toBe(true)
    expect(await exifr.gps(Buffer.from(bytes))).toMatchObject({ latitude: expect.any(Number) })
  })

  it('refuses a file over the size limit before anything is uploaded, in words', async () => {
    const { page } = browser
    const posts: string[] = []
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(request.url())
    })
    await openInvite(page, stage.link(await stage.invite()))
    await page.setInputFiles(control('evidence'), { name: 'video.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(25.1 * 1024 * 1024) })
    await page.waitForFunction(() => (document.getElementById('f-evidence-status')?.textContent ?? '').includes('too large'))
    expect(await page.locator('#f-evidence-status').innerText()).toBe('This file is too large (25.1 MB). The limit is 25 MB per file.')
    expect(await page.locator('#f-evidence-file-0-name').count()).toBe(0)
    expect(posts).toEqual([])
  })

  it('refuses a pixel flood in the browser with a readable message, and holds nothing', async () => {
    const { page } = browser
    await openInvite(page, stage.link(await stage.invite()))
    await page.setInputFiles(control('evidence'), { name: 'flood.png', mimeType: 'image/png', buffer: Buffer.from(pixelFloodPng()) })
    await page.waitForSelector('#f-evidence-status:text-matches("too many pixels")')
    expect(await page.locator('#f-evidence-file-0-name').count()).toBe(0)
  })
})
