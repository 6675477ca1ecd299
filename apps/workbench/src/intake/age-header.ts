/**
 * The header of a binary age file, parsed as the spec (c2sp.org/age, "Header") demands: the
 * version line, recipient stanzas (`-> type args…` then a body in canonical unpadded base64, 64
 * columns a line, the last line shorter), and the MAC line `--- <base64>`. Only the syntax is
 * checked here; what a stanza means is the identity's business, the MAC the opener's.
 */

export const AGE_VERSION_LINE = 'age-encryption.org/v1'
const LF = 0x0a
const BODY_COLUMNS = 64
/** Headers far larger than any real one are refused before the work of parsing them. */
const MAX_HEADER_BYTES = 1024 * 1024
const ARGUMENT = /^[\x21-\x7e]+$/
const BASE64_CHARS = /^[A-Za-z0-9+/]*$/

/** One recipient stanza: its type, its arguments, and its body bytes. */
export interface AgeStanza {
  readonly type: string
  readonly args: readonly string[]
  readonly body: Buffer
}

/** A parsed header: the stanzas, the MAC, and where the header ends in the file. */
export interface AgeHeader {
  readonly stanzas: readonly AgeStanza[]
  readonly mac: Buffer
  /** The bytes the MAC covers: the header up to and including `---`. */
  readonly macInput: Buffer
  /** The offset of the first byte after the MAC line (the payload's nonce). */
  readonly end: number
}

/**
 * Decodes canonical unpadded standard base64 (RFC 4648 §4 without `=`): anything else, including
 * padding, stray characters or non-zero trailing bits, gives null. Never throws.
 */
export function decodeCanonicalBase64(text: string): Buffer | null {
  if (!BASE64_CHARS.test(text) || text.length % 4 === 1) return null
  const bytes = Buffer.from(text, 'base64')
  // Re-encoding catches the non-zero trailing bits that Node's lenient decoder drops.
  return bytes.toString('base64').replace(/=+$/, '') === text ? bytes : null
}

/** Splits the next LF-terminated line off `file` at `at`; null when there is no LF before the limit. */
function lineAt(file: Uint8Array, at: number): { text: string; next: number } | null {
  const limit = Math.min(file.length, MAX_HEADER_BYTES)
  for (let i = at; i < limit; i++) {
    if (file[i] === LF) return { text: Buffer.from(file.buffer, file.byteOffset + at, i - at).toString('latin1'), next: i + 1 }
  }
  return null
}

/**
 * Parses the header at the start of `file`. Returns null, never throws, when the header is not
 * well formed: a missing or unknown version line, a line without its LF, an empty or non-VCHAR
 * argument, a body that is not canonical base64 in full 64-column lines ended by a shorter one,
 * or a MAC line that is not `--- ` and 32 bytes of canonical base64.
 */
export function parseAgeHeader(file: Uint8Array): AgeHeader | null {
  const version = lineAt(file, 0)
  if (version === null || version.text !== AGE_VERSION_LINE) return null
  const stanzas: AgeStanza[] = []
  let at = version.next
  for (;;) {
    const line = lineAt(file, at)
    if (line === null) return null
    if (line.text.startsWith('---')) {
      const parts = line.text.split(' ')
      if (parts.length !== 2 || parts[0] !== '---') return null
      const mac = decodeCanonicalBase64(parts[1] ?? '')
      if (mac?.length !== 32) return null
      const macInput = Buffer.from(file.buffer, file.byteOffset, at + 3)
      return { stanzas, mac, macInput, end: line.next }
    }
    if (!line.text.startsWith('-> ')) return null
    const args = line.text.slice(3).split(' ')
    if (!args.every((arg) => ARGUMENT.test(arg))) return null
    const [type, ...rest] = args
    if (type === undefined) return null
    at = line.next
    let bodyText = ''
    for (;;) {
      const bodyLine = lineAt(file, at)
      if (bodyLine === null || bodyLine.text.length > BODY_COLUMNS) return null
      at = bodyLine.next
      bodyText += bodyLine.text
      if (bodyLine.text.length < BODY_COLUMNS) break
    }
    const body = decodeCanonicalBase64(bodyText)
    if (body === null) return null
    stanzas.push({ type, args: rest, body })
  }
}
