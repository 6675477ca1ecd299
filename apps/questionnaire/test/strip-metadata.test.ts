import exifr from 'exifr'
import fc from 'fast-check'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { isAmanatError } from '@amanat/domain'
import { PROPERTY_RUNS } from '../../../tools/test-support/profile.ts'
import { MAX_IMAGE_PIXELS, sniffImageType, stripImageMetadata, type Cleaning } from '../src/strip-metadata.ts'
import {
  hasMarker,
  identifyingJpeg,
  identifyingPdf,
  identifyingPng,
  identifyingWebp,
  pixelFloodPng,
} from './support/images.ts'

/** Every metadata block exifr can find, by kind (none of them may survive cleaning). */
async function metadataOf(bytes: Uint8Array) {
  const parsed = (await exifr.parse(Buffer.from(bytes), {
    tiff: true,
    ifd1: true,
    exif: true,
    gps: true,
    interop: true,
    makerNote: true,
    xmp: true,
    iptc: true,
    icc: true,
    jfif: false,
    ihdr: false,
    mergeOutput: false,
  })) as Record<string, unknown> | undefined
  return parsed ?? {}
}

function cleaned(result: Cleaning): Uint8Array {
  if (result.kind !== 'cleaned') throw new Error('expected a cleaned image')
  return result.bytes
}

async function pixelsOf(bytes: Uint8Array) {
  const { data, info } = await sharp(Buffer.from(bytes)).raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

describe('stripImageMetadata', () => {
  it('recognises images by their bytes, not their names', async () => {
    expect(sniffImageType(await identifyingJpeg())).toBe('image/jpeg')
    expect(sniffImageType(await identifyingPng())).toBe('image/png')
    expect(sniffImageType(await identifyingWebp())).toBe('image/webp')
    expect(sniffImageType(identifyingPdf())).toBeNull()
  })

  it('the fixtures do carry the metadata (so the other tests can fail)', async () => {
    const jpeg = await identifyingJpeg()
    const meta = await metadataOf(jpeg)
    expect(Object.keys(meta)).toEqual(expect.arrayContaining(['ifd0', 'exif', 'gps', 'ifd1', 'xmp', 'iptc']))
    expect(await exifr.thumbnail(Buffer.from(jpeg))).toBeDefined()
    expect(Object.keys(await metadataOf(await identifyingPng()))).toEqual(expect.arrayContaining(['gps']))
    expect(hasMarker(await identifyingWebp())).toBe(true)
  })

  for (const progressive of [false, true]) {
    it(`removes EXIF, GPS, the thumbnail, XMP, IPTC, ICC, comments and trailers from a ${progressive ? 'progressive' : 'baseline'} JPEG, pixels unchanged`, async () => {
      const original = await identifyingJpeg({ progressive })
      const result = stripImageMetadata(original)
      const bytes = cleaned(result)
      expect(result.kind === 'cleaned' && result.mediaType).toBe('image/jpeg')
      expect(hasMarker(bytes)).toBe(false)
      expect(await metadataOf(bytes)).toEqual({})
      expect(await exifr.thumbnail(Buffer.from(bytes))).toBeUndefined()
      expect(await exifr.gps(Buffer.from(bytes))).toBeUndefined()
      const before = await pixelsOf(original)
      const after = await pixelsOf(bytes)
      expect(after.width).toBe(64)
      expect(after.data.equals(before.data)).toBe(true)
    })
  }

  it('keeps only the Orientation of a rotated photo, so it still shows the right way up', async () => {
    const original = await identifyingJpeg({ width: 64, height: 32, orientation: 6 })
    const bytes = cleaned(stripImageMetadata(original))
    expect(hasMarker(bytes)).toBe(false)
    const meta = await metadataOf(bytes)
    expect(meta).toEqual({ ifd0: { Orientation: 'Rotate 90 CW' } })
    // Decoded with its orientation applied, it has the corrected dimensions of the original.
    const upright = await sharp(Buffer.from(bytes)).rotate().toBuffer({ resolveWithObject: true })
    expect([upright.info.width, upright.info.height]).toEqual([32, 64])
  })

  it('removes text, XMP, EXIF, time and ICC chunks from a PNG, pixels unchanged', async () => {
    const original = await identifyingPng()
    const bytes = cleaned(stripImageMetadata(original))
    expect(hasMarker(bytes)).toBe(false)
    expect(await metadataOf(bytes)).toEqual({})
    for (const chunk of ['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME', 'iCCP']) expect(Buffer.from(bytes).includes(chunk)).toBe(false)
    expect((await pixelsOf(bytes)).data.equals((await pixelsOf(original)).data)).toBe(true)
  })

  it('removes EXIF, XMP and ICC chunks from a WebP and clears their VP8X flags, pixels unchanged', async () => {
    const original = await identifyingWebp()
    const bytes = cleaned(stripImageMetadata(original))
    expect(hasMarker(bytes)).toBe(false)
    for (const chunk of ['EXIF', 'XMP ', 'ICCP']) expect(Buffer.from(bytes).includes(chunk)).toBe(false)
    expect((bytes[20] ?? 0) & 0x2c).toBe(0)
    expect(Buffer.from(bytes).readUInt32LE(4)).toBe(bytes.length - 8)
    expect((await pixelsOf(bytes)).data.equals((await pixelsOf(original)).data)).toBe(true)
  })

  it('refuses a pixel flood before anything decodes it', () => {
    expect(() => stripImageMetadata(pixelFloodPng())).toThrow(expect.objectContaining({ code: 'attachment.too_many_pixels' }))
    expect(20_000 * 20_000).toBeGreaterThan(MAX_IMAGE_PIXELS)
  })

  it('says a PDF is not cleanable (the page then asks for consent)', () => {
    expect(stripImageMetadata(identifyingPdf())).toEqual({ kind: 'not_cleanable' })
  })

  it('never throws anything but a plain refusal on damaged images (truncated or with flipped bytes)', async () => {
    const samples = [await identifyingJpeg(), await identifyingPng(), await identifyingWebp()]
    fc.assert(
      fc.property(fc.nat(2), fc.nat(), fc.nat(255), fc.boolean(), (which, at, value, truncate) => {
        const sample = samples[which] ?? new Uint8Array()
        const position = at % sample.length
        const bytes = truncate ? sample.slice(0, position) : sample.slice()
        if (!truncate) bytes[position] = value
        try {
          const result = stripImageMetadata(bytes)
          if (result.kind === 'cleaned') expect(result.bytes.length).toBeLessThanOrEqual(bytes.length + 64)
        } catch (error) {
          expect(isAmanatError(error)).toBe(true)
        }
      }),
      { numRuns: PROPERTY_RUNS * 4 },
    )
  })
})
