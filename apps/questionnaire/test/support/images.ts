import { crc32, deflateSync } from 'node:zlib'
import sharp, { type Sharp } from 'sharp'

/**
 * A corpus of images carrying the metadata that can identify a respondent (SECURITY-TESTS.md
 * T13): EXIF with GPS, camera make, model and serial, a maker note and an embedded thumbnail; XMP;
 * IPTC; an ICC profile; comments; PNG text chunks; WebP EXIF/XMP chunks; data after the end of the
 * image. Pixels come from sharp; the metadata is written byte by byte here, so the fixtures do not
 * depend on what an encoder chooses to keep. Every text carries {@link MARKER}, so a test can also
 * search the cleaned bytes for it.
 */

export const MARKER = 'SYNTHETIC-METADATA-MARKER'

// ------------------------------------------------------------------------------ TIFF/EXIF writer

type Field =
  | { readonly tag: number; readonly ascii: string }
  | { readonly tag: number; readonly short: readonly number[] }
  | { readonly tag: number; readonly long: readonly number[] }
  | { readonly tag: number; readonly byte: readonly number[] }
  | { readonly tag: number; readonly rational: readonly (readonly [number, number])[] }
  | { readonly tag: number; readonly undefinedBytes: Uint8Array }
  /** A LONG holding the offset of another IFD of this file (by index). */
  | { readonly tag: number; readonly ifd: number }
  /** The offset, and the length, of the blob (a thumbnail). */
  | { readonly tag: number; readonly blobOffset: true }
  | { readonly tag: number; readonly blobLength: true }

interface Ifd {
  readonly fields: readonly Field[]
  /** The IFD chained after this one (IFD0 → IFD1), by index. */
  readonly next?: number
}

function encodeField(field: Field, offsets: { ifd: number[]; blob: number; blobLength: number }): { type: number; count: number; bytes: number[] } {
  const le16 = (v: number) => [v & 0xff, (v >> 8) & 0xff]
  const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]
  if ('ascii' in field) {
    const bytes = [...Buffer.from(`${field.ascii}\0`, 'latin1')]
    return { type: 2, count: bytes.length, bytes }
  }
  if ('short' in field) return { type: 3, count: field.short.length, bytes: field.short.flatMap(le16) }
  if ('long' in field) return { type: 4, count: field.long.length, bytes: field.long.flatMap(le32) }
  if ('byte' in field) return { type: 1, count: field.byte.length, bytes: [...field.byte] }
  if ('rational' in field) return { type: 5, count: field.rational.length, bytes: field.rational.flatMap(([n, d]) => [...le32(n), ...le32(d)]) }
  if ('undefinedBytes' in field) return { type: 7, count: field.undefinedBytes.length, bytes: [...field.undefinedBytes] }
  if ('ifd' in field) return { type: 4, count: 1, bytes: le32(offsets.ifd[field.ifd] ?? 0) }
  if ('blobOffset' in field) return { type: 4, count: 1, bytes: le32(offsets.blob) }
  return { type: 4, count: 1, bytes: le32(offsets.blobLength) }
}

/** A little-endian TIFF structure with the given IFDs (IFD0 first) and an optional trailing blob. */
export function tiff(ifds: readonly Ifd[], blob: Uint8Array = new Uint8Array(0)): Uint8Array {
  // Pass 1: where each IFD and its out-of-line values go.
  const layout = (offsets: { ifd: number[]; blob: number; blobLength: number }) => {
    const out: number[] = [0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]
    const ifdAt: number[] = []
    for (const ifd of ifds) {
      ifdAt.push(out.length)
      const fields = [...ifd.fields].sort((a, b) => a.tag - b.tag)
      const encoded = fields.map((f) => ({ tag: f.tag, ...encodeField(f, offsets) }))
      const tableEnd = out.length + 2 + 12 * encoded.length + 4
      let dataAt = tableEnd
      const data: number[] = []
      const entries: number[] = []
      for (const e of encoded) {
        entries.push(e.tag & 0xff, e.tag >> 8, e.type & 0xff, e.type >> 8, ...[e.count & 0xff, (e.count >> 8) & 0xff, 0, 0])
        if (e.bytes.length <= 4) entries.push(...e.bytes, ...new Array<number>(4 - e.bytes.length).fill(0))
        else {
          entries.push(dataAt & 0xff, (dataAt >> 8) & 0xff, (dataAt >> 16) & 0xff, 0)
          data.push(...e.bytes)
          if (e.bytes.length % 2 === 1) data.push(0)
          dataAt = tableEnd + data.length
        }
      }
      const next = ifd.next === undefined ? 0 : (offsets.ifd[ifd.next] ?? 0)
      out.push(encoded.length & 0xff, encoded.length >> 8, ...entries, next & 0xff, (next >> 8) & 0xff, (next >> 16) & 0xff, 0, ...data)
    }
    const blobAt = out.length
    return { bytes: Uint8Array.from([...out, ...blob]), ifdAt, blobAt }
  }
  const first = layout({ ifd: ifds.map(() => 0), blob: 0, blobLength: blob.length })
  return layout({ ifd: first.ifdAt, blob: first.blobAt, blobLength: blob.length }).bytes
}

export interface ExifOptions {
  readonly orientation?: number
  /** An embedded JPEG thumbnail (IFD1). */
  readonly thumbnail?: Uint8Array
}

/** EXIF with camera, serial number, maker note, GPS position and (optionally) a thumbnail. */
export function identifyingExif(options: ExifOptions = {}): Uint8Array {
  const ifd0: Field[] = [
    { tag: 0x010f, ascii: `${MARKER} Camera Maker` },
    { tag: 0x0110, ascii: 'Model X-1000' },
    { tag: 0x0132, ascii: '2024:03:14 09:26:53' },
    { tag: 0x013b, ascii: `Artist ${MARKER}` },
    { tag: 0x8769, ifd: 2 },
    { tag: 0x8825, ifd: 3 },
  ]
  if (options.orientation !== undefined) ifd0.push({ tag: 0x0112, short: [options.orientation] })
  const exif: Field[] = [
    { tag: 0x9003, ascii: '2024:03:14 09:26:53' },
    { tag: 0xa431, ascii: `SERIAL-${MARKER}` },
    { tag: 0x927c, undefinedBytes: Buffer.from(`MakerNote ${MARKER} private data`) },
  ]
  const gps: Field[] = [
    { tag: 0x0000, byte: [2, 3, 0, 0] },
    { tag: 0x0001, ascii: 'N' },
    { tag: 0x0002, rational: [[41, 1], [0, 1], [3600, 100]] },
    { tag: 0x0003, ascii: 'E' },
    { tag: 0x0004, rational: [[28, 1], [58, 1], [1200, 100]] },
  ]
  const ifd1: Field[] = [
    { tag: 0x0103, short: [6] },
    { tag: 0x0201, blobOffset: true },
    { tag: 0x0202, blobLength: true },
  ]
  const thumbnail = options.thumbnail
  return thumbnail === undefined
    ? tiff([{ fields: ifd0 }, { fields: [] }, { fields: exif }, { fields: gps }])
    : tiff([{ fields: ifd0, next: 1 }, { fields: ifd1 }, { fields: exif }, { fields: gps }], thumbnail)
}

/** An XMP packet with a location and a creator tool. */
export function xmpPacket(): string {
  return (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>' +
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"' +
    ` exif:GPSLatitude="41,0.6N" exif:GPSLongitude="28,58.2E" xmp:CreatorTool="${MARKER} Editor"/>` +
    '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
  )
}

// ---------------------------------------------------------------------------------------- JPEG

function segment(marker: number, payload: Uint8Array): Uint8Array {
  const length = payload.length + 2
  return Buffer.concat([Buffer.from([0xff, marker, length >> 8, length & 0xff]), payload])
}

/** IPTC caption inside a Photoshop image resource block (APP13). */
function iptcSegment(): Uint8Array {
  const caption = Buffer.from(`Caption ${MARKER}`)
  const iim = Buffer.concat([Buffer.from([0x1c, 0x02, 0x78, caption.length >> 8, caption.length & 0xff]), caption])
  const resource = Buffer.concat([
    Buffer.from('8BIM'),
    Buffer.from([0x04, 0x04, 0x00, 0x00]),
    Buffer.from([(iim.length >>> 24) & 0xff, (iim.length >>> 16) & 0xff, (iim.length >>> 8) & 0xff, iim.length & 0xff]),
    iim,
    iim.length % 2 === 1 ? Buffer.from([0]) : Buffer.alloc(0),
  ])
  return segment(0xed, Buffer.concat([Buffer.from('Photoshop 3.0\0'), resource]))
}

/** Noisy pixels (so the JPEG's entropy-coded data holds 0xFF bytes, stuffed, and is not trivially small). */
function pixels(width: number, height: number): Sharp {
  const raw = Buffer.alloc(width * height * 3)
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919 + (i >> 5) * 104729) % 251
  return sharp(raw, { raw: { width, height, channels: 3 } })
}

export interface JpegOptions {
  readonly width?: number
  readonly height?: number
  readonly orientation?: number
  readonly progressive?: boolean
}

/**
 * A JPEG with EXIF (GPS, camera, serial, maker note, thumbnail), XMP, IPTC, an ICC profile, a
 * comment, a JFIF thumbnail-free header and a second image appended after EOI.
 */
export async function identifyingJpeg(options: JpegOptions = {}): Promise<Uint8Array> {
  const { width = 64, height = 48 } = options
  const base = await pixels(width, height).jpeg({ quality: 90, progressive: options.progressive ?? false }).toBuffer()
  const thumbnail = await pixels(16, 12).jpeg({ quality: 50 }).toBuffer()
  const exifOptions: ExifOptions = options.orientation === undefined ? { thumbnail } : { thumbnail, orientation: options.orientation }
  const exif = segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0'), identifyingExif(exifOptions)]))
  const xmp = segment(0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0'), Buffer.from(xmpPacket())]))
  // A minimal ICC_PROFILE APP2 whose description names a device.
  const icc = segment(0xe2, Buffer.concat([Buffer.from('ICC_PROFILE\0'), Buffer.from([1, 1]), Buffer.from(`desc ${MARKER} display profile`)]))
  const comment = segment(0xfe, Buffer.from(`Comment ${MARKER}`))
  // Insert right after SOI (and after sharp's own JFIF APP0, if it wrote one).
  let at = 2
  if (base[2] === 0xff && base[3] === 0xe0) at = 4 + ((base[4] ?? 0) << 8 | (base[5] ?? 0))
  const trailer = Buffer.concat([thumbnail, Buffer.from(`trailer ${MARKER}`)])
  return Buffer.concat([base.subarray(0, at), exif, xmp, iptcSegment(), icc, comment, base.subarray(at), trailer])
}

// ----------------------------------------------------------------------------------------- PNG

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** A PNG with tEXt, zTXt, iTXt (XMP), eXIf (GPS and all), tIME and iCCP, plus data after IEND. */
export async function identifyingPng(width = 48, height = 32): Promise<Uint8Array> {
  const base = await pixels(width, height).png().toBuffer()
  const ihdrEnd = 8 + 12 + 13
  const chunks = [
    pngChunk('tEXt', Buffer.from(`Comment\0${MARKER} comment`, 'latin1')),
    pngChunk('zTXt', Buffer.concat([Buffer.from('Author\0\0', 'latin1'), deflateSync(Buffer.from(`${MARKER} author`))])),
    pngChunk('iTXt', Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\0\0\0\0'), Buffer.from(xmpPacket())])),
    pngChunk('eXIf', identifyingExif()),
    pngChunk('tIME', Buffer.from([0x07, 0xe8, 3, 14, 9, 26, 53])),
    pngChunk('iCCP', Buffer.concat([Buffer.from(`${MARKER}\0\0`, 'latin1'), deflateSync(Buffer.from('not a real profile'))])),
  ]
  return Buffer.concat([base.subarray(0, ihdrEnd), ...chunks, base.subarray(ihdrEnd), Buffer.from(`trailer ${MARKER}`)])
}

/** A PNG header claiming 20,000 × 20,000 pixels (a "pixel flood"), with a token IDAT. */
export function pixelFloodPng(): Uint8Array {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(20_000, 0)
  ihdr.writeUInt32BE(20_000, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

// ---------------------------------------------------------------------------------------- WebP

function riffChunk(fourcc: string, data: Uint8Array): Uint8Array {
  const head = Buffer.alloc(8)
  head.write(fourcc, 0, 'latin1')
  head.writeUInt32LE(data.length, 4)
  return Buffer.concat([head, data, data.length % 2 === 1 ? Buffer.from([0]) : Buffer.alloc(0)])
}

/** An extended WebP (VP8X) with EXIF, XMP and ICCP chunks around a lossless image. */
export async function identifyingWebp(width = 40, height = 30): Promise<Uint8Array> {
  const simple = await pixels(width, height).webp({ lossless: true }).toBuffer()
  const image = simple.subarray(12) // the VP8L chunk, as it stands in the simple file
  const vp8x = Buffer.alloc(10)
  vp8x[0] = 0x20 | 0x08 | 0x04 // ICC, EXIF, XMP
  vp8x.writeUIntLE(width - 1, 4, 3)
  vp8x.writeUIntLE(height - 1, 7, 3)
  const body = Buffer.concat([
    riffChunk('VP8X', vp8x),
    riffChunk('ICCP', Buffer.from(`${MARKER} profile`)),
    image,
    riffChunk('EXIF', identifyingExif()),
    riffChunk('XMP ', Buffer.from(xmpPacket())),
  ])
  const head = Buffer.alloc(12)
  head.write('RIFF', 0, 'latin1')
  head.writeUInt32LE(4 + body.length, 4)
  head.write('WEBP', 8, 'latin1')
  return Buffer.concat([head, body])
}

// ------------------------------------------------------------------------------ not cleanable

/** A small PDF whose document information names its author (a type the page cannot clean). */
export function identifyingPdf(): Uint8Array {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Author (${MARKER}) /Producer (Scanner 3000) >> endobj\ntrailer << /Info 1 0 R >>\n%%EOF\n`)
}

/** True when `bytes` contain {@link MARKER} (as Latin-1/UTF-8 text). */
export function hasMarker(bytes: Uint8Array): boolean {
  return Buffer.from(bytes).includes(MARKER)
}
