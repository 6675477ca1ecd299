import { AmanatError } from '@amanat/domain'
import { x25519 } from '@noble/curves/ed25519.js'
import { bech32 } from '@scure/base'

/**
 * Which age recipients Amanat accepts: plain X25519 ones only (`age1` + 32 bytes in lowercase
 * Bech32), because Debian's age 1.1.1 cannot decrypt hybrid post-quantum stanzas and a file the
 * standard CLI cannot open is a file an analyst may lose.
 */

// Any clamped scalar works: every clamped scalar is a multiple of the cofactor, so a point of small
// order always yields the all-zero shared secret, which noble refuses.
const PROBE_SCALAR = new Uint8Array(32).fill(0x5a)

/**
 * True when `text` is a plain X25519 age recipient (`age1…`, lowercase, 62 characters) whose key
 * is usable: hybrid (`age1pq1…`), tag (`age1tag1…`), plugin recipients, mixed or upper case,
 * surrounding whitespace, bad checksums and small-order points all give false. Never throws.
 */
export function isX25519Recipient(text: unknown): text is string {
  if (typeof text !== 'string' || text.length !== 62 || !text.startsWith('age1')) return false
  if (text !== text.toLowerCase()) return false
  try {
    const decoded = bech32.decodeToBytes(text)
    if (decoded.prefix !== 'age' || decoded.bytes.length !== 32) return false
    x25519.getSharedSecret(PROBE_SCALAR, decoded.bytes)
    return true
  } catch {
    return false
  }
}

/**
 * Checks a recipient list for sealing: at least one recipient, every one a plain X25519 recipient
 * ({@link isX25519Recipient}), none listed twice (so a file carries one stanza per recipient).
 *
 * @throws AmanatError input `crypto.bad_recipient` naming the position of the first bad entry
 *   (never its text, which may be anything a user pasted).
 */
export function assertX25519Recipients(
  recipients: readonly unknown[],
): asserts recipients is readonly string[] {
  if (!Array.isArray(recipients) || recipients.length === 0) {
    throw new AmanatError(
      'input',
      'crypto.bad_recipient',
      'There is no recipient to seal to: at least one age recipient is needed.',
    )
  }
  const seen = new Set<string>()
  recipients.forEach((recipient, index) => {
    if (!isX25519Recipient(recipient)) {
      throw new AmanatError(
        'input',
        'crypto.bad_recipient',
        'A recipient is not a plain X25519 age recipient (age1…). Post-quantum, plugin and other recipient types are refused.',
        { index },
      )
    }
    if (seen.has(recipient)) {
      throw new AmanatError('input', 'crypto.bad_recipient', 'The same recipient is listed twice.', { index })
    }
    seen.add(recipient)
  })
}
