/**
 * A structural check of age files (https://age-encryption.org/v1), written here because the intake
 * server must not import age-encryption (it contains a Decrypter; ARCHITECTURE.md rule 2). Nothing
 * cryptographic happens: the server cannot tell a file sealed to the analysts from one sealed to
 * anyone else. It checks the shape the page always produces, so garbage, passphrase files, plugin
 * or post-quantum stanzas and truncated files are refused before they are stored:
 *
 * ```
 * age-encryption.org/v1
 * -> X25519 <43 characters: canonical unpadded base64 of a 32-byte share>
 * <43 characters: canonical unpadded base64 of the 32-byte wrapped file key>
 * …one such stanza per recipient…
 * --- <43 characters: canonical unpadded base64 of the 32-byte header MAC>
 * <payload: 16-byte nonce, then STREAM chunks of 64 KiB + 16-byte tag, the last one shorter>
 * ```
 */

const VERSION_LINE = 'age-encryption.org/v1\n'
/** Canonical unpadded base64 of 32 bytes: 43 characters whose last one carries 2 zero bits. */
const B64_32 = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]$/
const STANZA_LINE_BYTES = 3 + 'X25519'.length + 1 + 43 + 1 + 43 + 1
const MAC_LINE_BYTES = 4 + 43 + 1
const NONCE_BYTES = 16
const TAG_BYTES = 16
const CHUNK_BYTES = 64 * 1024

/** What the check learned about a well-formed file. */
export interface AgeShape {
  /** The number of X25519 stanzas (one per recipient). */
  readonly recipients: number
  /** The length of the header, through the MAC line's newline. */
  readonly headerBytes: number
}

/** The largest header a file with `maxRecipients` X25519 stanzas can have. */
export function maxHeaderBytes(maxRecipients: number): number {
  return VERSION_LINE.length + maxRecipients * STANZA_LINE_BYTES + MAC_LINE_BYTES
}

/**
 * The shape of an age header at the start of `bytes`: the version line, 1 to `maxRecipients`
 * X25519 stanzas with a 32-byte share and a 32-byte body each (canonical unpadded base64), no other
 * stanza type, and a MAC line. Returns null, never throws, for anything else (armored files
 * included). Does not look at what follows the header.
 */
export function inspectAgeHeader(bytes: Uint8Array, maxRecipients: number): AgeShape | null {
  const limit = Math.min(bytes.length, maxHeaderBytes(maxRecipients))
  // latin1 maps bytes 1:1 to code units, so non-ASCII bytes can never match the patterns below.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, limit).toString('latin1')
  if (!head.startsWith(VERSION_LINE)) return null
  let at = VERSION_LINE.length
  let recipients = 0
  for (;;) {
    const lineEnd = head.indexOf('\n', at)
    if (lineEnd < 0) return null
    const line = head.slice(at, lineEnd)
    if (line.startsWith('--- ')) {
      if (recipients === 0 || !B64_32.test(line.slice(4))) return null
      return { recipients, headerBytes: lineEnd + 1 }
    }
    if (!line.startsWith('-> ')) return null
    const args = line.slice(3).split(' ')
    if (args.length !== 2 || args[0] !== 'X25519' || !B64_32.test(args[1] ?? '')) return null
    const bodyEnd = head.indexOf('\n', lineEnd + 1)
    if (bodyEnd < 0) return null
    // A 32-byte body is one line of 43 characters: shorter than 64, so it is the stanza's last line.
    if (!B64_32.test(head.slice(lineEnd + 1, bodyEnd))) return null
    recipients += 1
    if (recipients > maxRecipients) return null
    at = bodyEnd + 1
  }
}

/**
 * True when `payloadBytes` bytes can be an age payload: a nonce, then STREAM chunks of 64 KiB plus
 * a tag each, the last chunk holding 1 byte to 64 KiB of plaintext (or none, when it is the only
 * chunk). A truncated upload or a payload cut at a chunk boundary fails this.
 */
export function isPayloadLength(payloadBytes: number): boolean {
  const sealed = payloadBytes - NONCE_BYTES
  if (sealed < TAG_BYTES) return false
  if (sealed === TAG_BYTES) return true
  const rest = sealed % (CHUNK_BYTES + TAG_BYTES)
  if (rest === 0) return true
  return rest > TAG_BYTES
}

/**
 * The shape of a whole binary age file: a header as {@link inspectAgeHeader} describes and a
 * payload of a possible length ({@link isPayloadLength}). Returns null, never throws, otherwise.
 */
export function inspectAgeFile(bytes: Uint8Array, maxRecipients: number): AgeShape | null {
  const shape = inspectAgeHeader(bytes, maxRecipients)
  if (shape === null || !isPayloadLength(bytes.length - shape.headerBytes)) return null
  return shape
}

/** The size of an age file sealing `plaintextBytes` to `recipients` X25519 recipients. */
export function sealedSize(plaintextBytes: number, recipients: number): number {
  const chunks = Math.max(1, Math.ceil(plaintextBytes / CHUNK_BYTES))
  return maxHeaderBytes(recipients) + NONCE_BYTES + plaintextBytes + chunks * TAG_BYTES
}
