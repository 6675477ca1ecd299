import { armor } from 'age-encryption'

const VERSION_LINE = 'age-encryption.org/v1\n'
const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----'
const MAX_HEADER_BYTES = 64 * 1024

/**
 * Returns the binary age file in `file`, decoding ASCII armor when the file is armored. Returns
 * null, never throws, when `file` is neither a binary age file nor valid armor.
 */
export function dearmor(file: Uint8Array): Uint8Array | null {
  const start = new TextDecoder('latin1').decode(file.subarray(0, 128)).trimStart()
  if (start.startsWith(VERSION_LINE)) return file
  if (!start.startsWith(ARMOR_BEGIN)) return null
  try {
    const decoded = armor.decode(new TextDecoder('utf-8', { fatal: true }).decode(file))
    return new TextDecoder('latin1').decode(decoded.subarray(0, VERSION_LINE.length)) === VERSION_LINE
      ? decoded
      : null
  } catch {
    return null
  }
}

/**
 * The recipient types of a binary age file's stanzas (`X25519`, `scrypt`, …) in order, read from
 * its header without checking anything cryptographic; null when no header can be found. Used only
 * to tell "this is not a passphrase file" from "wrong passphrase"; age-encryption does the real
 * parsing and authentication.
 */
export function stanzaTypes(file: Uint8Array): string[] | null {
  const head = new TextDecoder('latin1').decode(file.subarray(0, MAX_HEADER_BYTES))
  if (!head.startsWith(VERSION_LINE)) return null
  const end = head.indexOf('\n---')
  if (end < 0) return null
  return head
    .slice(VERSION_LINE.length, end + 1)
    .split('\n')
    .filter((line) => line.startsWith('-> '))
    .map((line) => line.split(' ')[1] ?? '')
}
