import { AmanatError } from '@amanat/domain'

/**
 * Lossless removal of image metadata in the browser, before sealing (SECURITY-TESTS.md T13,
 * ASVS 14.2.8). Once the page has sealed a file nobody else can clean it, and EXIF GPS, camera
 * serial numbers, XMP edit histories, IPTC captions and embedded thumbnails (which can show the
 * uncropped original) can all identify a respondent.
 *
 * Only the container is rewritten: compressed pixel data is copied byte for byte, so an image is
 * not re-encoded (re-encoding would lose quality and the forensic traces an analyst may need). Each
 * format is cleaned by allow-list, keeping only what decoding needs:
 * - JPEG: SOI, the tables (DQT, DHT, DAC, DRI), SOFn, SOS with its entropy-coded data, EOI; APP0
 *   JFIF without its thumbnail; APP14 Adobe (it says how to convert colours). Every other APPn
 *   (Exif, XMP, ICC, MPF, IPTC/Photoshop, maker data), COM and anything after EOI is dropped. A
 *   non-default EXIF Orientation is written back as a minimal Exif segment holding that one tag,
 *   so the photo still shows the right way up.
 * - PNG: critical chunks plus colour and animation chunks; tEXt, iTXt, zTXt, eXIf, tIME, iCCP,
 *   sPLT, private chunks (C2PA, Apple's) and anything after IEND are dropped.
 * - WebP: VP8/VP8L/VP8X/ALPH/ANIM/ANMF; EXIF, XMP, ICCP and unknown chunks are dropped and the
 *   VP8X flags updated.
 *
 * Other types (HEIC, PDF, office documents, video…) cannot be cleaned here, and re-encoding them
 * in a canvas would either fail or destroy the evidence; the page sends them only after the
 * respondent explicitly accepts that their metadata stays (recorded inside the submission).
 */

/** Image types this module cleans. */
export const CLEANABLE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const
export type CleanableType = (typeof CLEANABLE_TYPES)[number]

/**
 * Decoded size above which an image is refused (2^28 pixels, about 268 megapixels: above any phone
 * camera). A "pixel flood" file decompresses to gigabytes in whatever viewer opens it later.
 */
export const MAX_IMAGE_PIXELS = 2 ** 28

/** The result of reading a file's container. */
export type Cleaning =
  | {
      readonly kind: 'cleaned'
      readonly mediaType: CleanableType
      /** The image without metadata (pixel data unchanged). */
      readonly bytes: Uint8Array
      readonly width: number
      readonly height: number
    }
  /** Not a type this module cleans: the page needs the respondent's explicit consent to send it. */
  | { readonly kind: 'not_cleanable' }

function damaged(): AmanatError {
  return new AmanatError('input', 'attachment.damaged_image', 'This image file seems damaged and cannot be cleaned.')
}

function checkPixels(width: number, height: number): void {
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new AmanatError('input', 'attachment.too_many_pixels', 'This image has too many pixels to be handled safely.', {
      width,
      height,
    })
  }
}

const startsWith = (bytes: Uint8Array, at: number, prefix: readonly number[]) =>
  prefix.every((b, i) => bytes[at + i] === b)
const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0))

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** Recognises JPEG, PNG and WebP by their first bytes (never by name or declared type). */
export function sniffImageType(bytes: Uint8Array): CleanableType | null {
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(bytes, 0, PNG_SIGNATURE)) return 'image/png'
  if (startsWith(bytes, 0, ascii('RIFF')) && startsWith(bytes, 8, ascii('WEBP'))) return 'image/webp'
  return null
}

/**
 * Cleans `bytes` if they are a JPEG, PNG or WebP image (whatever the file claimed to be), or says
 * the type is not cleanable.
 *
 * @throws AmanatError input `attachment.damaged_image` when a recognised image's structure is
 *   broken; input `attachment.too_many_pixels` when it decodes to more than
 *   {@link MAX_IMAGE_PIXELS}.
 */
export function stripImageMetadata(bytes: Uint8Array): Cleaning {
  switch (sniffImageType(bytes)) {
    case 'image/jpeg':
      return { kind: 'cleaned', mediaType: 'image/jpeg', ...stripJpeg(bytes) }
    case 'image/png':
      return { kind: 'cleaned', mediaType: 'image/png', ...stripPng(bytes) }
    case 'image/webp':
      return { kind: 'cleaned', mediaType: 'image/webp', ...stripWebp(bytes) }
    case null:
      return { kind: 'not_cleanable' }
  }
}

/** Collects output parts and joins them once. */
class Parts {
  private readonly parts: Uint8Array[] = []
  private size = 0
  push(part: Uint8Array | readonly number[]): void {
    const bytes = part instanceof Uint8Array ? part : Uint8Array.from(part)
    this.parts.push(bytes)
    this.size += bytes.length
  }
  get length(): number {
    return this.size
  }
  join(): Uint8Array {
    const out = new Uint8Array(this.size)
    let at = 0
    for (const part of this.parts) {
      out.set(part, at)
      at += part.length
    }
    return out
  }
}

interface Stripped {
  readonly bytes: Uint8Array
  readonly width: number
  readonly height: number
}

// ---------------------------------------------------------------- JPEG (ITU T.81, JFIF, Exif 2.3)

const u16be = (b: Uint8Array, at: number) => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0)

/** SOFn markers (frame headers): C0–CF except DHT (C4), JPG (C8) and DAC (CC). */
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc
/** Table and restart segments decoding needs: DHT, DAC, DQT, DNL, DRI, EXP. */
const KEPT_TABLES = new Set([0xc4, 0xcc, 0xdb, 0xdc, 0xdd, 0xdf])

/** The EXIF Orientation (1–8) in an APP1 Exif payload, or null when absent or unreadable. */
function exifOrientation(payload: Uint8Array): number | null {
  const tiff = 6
  if (!startsWith(payload, 0, ascii('Exif\0\0')) || payload.length < tiff + 8) return null
  const little = startsWith(payload, tiff, ascii('II'))
  if (!little && !startsWith(payload, tiff, ascii('MM'))) return null
  const u16 = (at: number) =>
    little ? (payload[tiff + at] ?? 0) | ((payload[tiff + at + 1] ?? 0) << 8) : u16be(payload, tiff + at)
  const u32 = (at: number) => (little ? u16(at) + u16(at + 2) * 65536 : u16(at) * 65536 + u16(at + 2))
  const ifd = u32(4)
  if (tiff + ifd + 2 > payload.length) return null
  const count = u16(ifd)
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + 12 * i
    if (tiff + entry + 12 > payload.length) return null
    if (u16(entry) === 0x0112 && u16(entry + 2) === 3 && u32(entry + 4) === 1) {
      const value = u16(entry + 8)
      return value >= 1 && value <= 8 ? value : null
    }
  }
  return null
}

/** An APP1 segment with an Exif block holding only IFD0's Orientation tag (big-endian TIFF). */
function orientationSegment(orientation: number): number[] {
  const tiff = [
    ...ascii('MM'), 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // header, IFD0 at offset 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00, // Orientation, SHORT, 1
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ]
  const payload = [...ascii('Exif\0\0'), ...tiff]
  const length = payload.length + 2
  return [0xff, 0xe1, length >> 8, length & 0xff, ...payload]
}

function stripJpeg(bytes: Uint8Array): Stripped {
  const out = new Parts()
  out.push([0xff, 0xd8])
  let pos = 2
  let orientation: number | null = null
  let orientationAt = out.length
  let width = 0
  let height = 0
  let sawScan = false
  for (;;) {
    if (bytes[pos] !== 0xff) throw damaged()
    while (bytes[pos] === 0xff) pos++ // fill bytes may precede a marker
    if (pos >= bytes.length) throw damaged()
    const marker = bytes[pos++] as number
    if (marker === 0xd9) {
      if (!sawScan || width === 0) throw damaged()
      out.push([0xff, 0xd9]) // and nothing after EOI: trailers can hold whole extra images
      break
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      out.push([0xff, marker])
      continue
    }
    if (marker === 0xd8 || pos + 2 > bytes.length) throw damaged()
    const length = u16be(bytes, pos)
    if (length < 2 || pos + length > bytes.length) throw damaged()
    const payload = bytes.subarray(pos + 2, pos + length)
    const segment = (): void => {
      out.push([0xff, marker])
      out.push(bytes.subarray(pos, pos + length))
    }
    if (marker === 0xe0 && startsWith(payload, 0, ascii('JFIF\0')) && payload.length >= 14) {
      // JFIF 1.02 §: version, units, densities, then thumbnail size and pixels; keep it thumbnail-free.
      const header = Array.from(payload.subarray(0, 14))
      header[12] = 0
      header[13] = 0
      out.push([0xff, 0xe0, 0x00, 16, ...header])
      orientationAt = out.length
    } else if (marker === 0xe1) {
      orientation ??= exifOrientation(payload)
    } else if (marker === 0xee && startsWith(payload, 0, ascii('Adobe')) && payload.length === 12) {
      segment()
    } else if (isSof(marker)) {
      if (payload.length < 5) throw damaged()
      height = u16be(payload, 1)
      width = u16be(payload, 3)
      checkPixels(width, height)
      segment()
    } else if (KEPT_TABLES.has(marker)) {
      segment()
    } else if (marker === 0xda) {
      segment()
      pos += length
      const start = pos
      // Entropy-coded data: 0xFF is followed by 0x00 (a stuffed byte) or RSTn; anything else ends it.
      while (pos < bytes.length) {
        if (bytes[pos] === 0xff) {
          const next = bytes[pos + 1]
          if (next === 0x00 || (next !== undefined && next >= 0xd0 && next <= 0xd7)) {
            pos += 2
            continue
          }
          break
        }
        pos++
      }
      if (pos >= bytes.length) throw damaged()
      out.push(bytes.subarray(start, pos))
      sawScan = true
      continue
    }
    // Anything else (other APPn, COM, reserved markers) is dropped.
    pos += length
  }
  const cleaned = out.join()
  if (orientation === null || orientation === 1) return { bytes: cleaned, width, height }
  const exif = Uint8Array.from(orientationSegment(orientation))
  const withExif = new Uint8Array(cleaned.length + exif.length)
  withExif.set(cleaned.subarray(0, orientationAt))
  withExif.set(exif, orientationAt)
  withExif.set(cleaned.subarray(orientationAt), orientationAt + exif.length)
  return { bytes: withExif, width, height }
}

// ---------------------------------------------------------------- PNG (PNG 3rd edition, APNG)

/** Chunks kept: critical ones, colour description without text, and APNG animation. */
const PNG_KEPT = new Set([
  'IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'sBIT', 'bKGD', 'hIST', 'pHYs',
  'cICP', 'mDCV', 'cLLI', 'acTL', 'fcTL', 'fdAT',
])

const u32be = (b: Uint8Array, at: number) => u16be(b, at) * 65536 + u16be(b, at + 2)

function stripPng(bytes: Uint8Array): Stripped {
  const out = new Parts()
  out.push(bytes.subarray(0, 8))
  let pos = 8
  let width = 0
  let height = 0
  let first = true
  for (;;) {
    if (pos + 12 > bytes.length) throw damaged()
    const length = u32be(bytes, pos)
    const end = pos + 12 + length
    if (end > bytes.length) throw damaged()
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8))
    if (!/^[A-Za-z]{4}$/.test(type) || (first && type !== 'IHDR')) throw damaged()
    first = false
    if (type === 'IHDR') {
      if (length !== 13) throw damaged()
      width = u32be(bytes, pos + 8)
      height = u32be(bytes, pos + 12)
      checkPixels(width, height)
    }
    const critical = type.charCodeAt(0) < 0x61 // upper-case first letter
    if (PNG_KEPT.has(type)) out.push(bytes.subarray(pos, end))
    else if (critical) throw damaged() // a critical chunk we do not know: no decoder could read it either
    pos = end
    if (type === 'IEND') break
  }
  return { bytes: out.join(), width, height }
}

// ---------------------------------------------------------------- WebP (RFC 9649)

const u16le = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8)
const u24le = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16)
const u32le = (b: Uint8Array, at: number) => u24le(b, at) + (b[at + 3] ?? 0) * 16777216

const WEBP_KEPT = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF'])
/** VP8X flag bits for the chunks removed here: ICC profile, EXIF, XMP. */
const VP8X_METADATA_FLAGS = 0x20 | 0x08 | 0x04

function stripWebp(bytes: Uint8Array): Stripped {
  const riffEnd = 8 + u32le(bytes, 4)
  if (riffEnd > bytes.length || riffEnd < 12) throw damaged()
  const chunks = new Parts()
  let pos = 12
  let width = 0
  let height = 0
  while (pos < riffEnd) {
    if (pos + 8 > riffEnd) throw damaged()
    const fourcc = String.fromCharCode(...bytes.subarray(pos, pos + 4))
    const size = u32le(bytes, pos + 4)
    const end = pos + 8 + size + (size % 2)
    if (pos + 8 + size > riffEnd) throw damaged()
    const data = bytes.subarray(pos + 8, pos + 8 + size)
    if (fourcc === 'VP8X') {
      if (size < 10) throw damaged()
      width = u24le(data, 4) + 1
      height = u24le(data, 7) + 1
      const copy = bytes.slice(pos, Math.min(end, riffEnd))
      copy[8] = (copy[8] ?? 0) & ~VP8X_METADATA_FLAGS
      chunks.push(copy)
    } else if (WEBP_KEPT.has(fourcc)) {
      if (width === 0 && fourcc === 'VP8 ' && size >= 10) {
        width = u16le(data, 6) & 0x3fff
        height = u16le(data, 8) & 0x3fff
      } else if (width === 0 && fourcc === 'VP8L' && size >= 5) {
        const bits = u32le(data, 1)
        width = (bits & 0x3fff) + 1
        height = ((bits >>> 14) & 0x3fff) + 1
      }
      chunks.push(bytes.subarray(pos, Math.min(end, riffEnd)))
    }
    pos = end
  }
  if (width === 0) throw damaged()
  checkPixels(width, height)
  const body = chunks.join()
  const out = new Uint8Array(12 + body.length)
  out.set(bytes.subarray(0, 12))
  const riffSize = 4 + body.length
  out[4] = riffSize & 0xff
  out[5] = (riffSize >>> 8) & 0xff
  out[6] = (riffSize >>> 16) & 0xff
  out[7] = (riffSize >>> 24) & 0xff
  out.set(body, 12)
  return { bytes: out, width, height }
}
