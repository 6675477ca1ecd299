import { sha256 } from '@noble/hashes/sha2.js'
import { base32crockford } from '@scure/base'
import { AmanatError } from '@amanat/domain'
import { decodeBase64Url } from './encoding.ts'

/**
 * Fingerprints of signing keys, short enough to type from an invite code or read over a phone.
 *
 * Format: the first 20 bytes (160 bits) of SHA-256 over the 32 raw Ed25519 public-key bytes,
 * written in Crockford's base32 in lowercase: exactly 32 characters from `0-9 a-h j k m n p-t
 * v-z`. Crockford's alphabet leaves out i, l, o and u, so nothing reads like 1 or 0 and no
 * accidental words appear; typed input is forgiving (see {@link normalizeFingerprint}). Finding a
 * second key with a given fingerprint costs about 2^160 hash evaluations.
 */

const FINGERPRINT_BYTES = 20
/** Length of a fingerprint in its canonical compact form. */
export const FINGERPRINT_LENGTH = 32
const CANONICAL = /^[0-9a-hjkmnp-tv-z]{32}$/

/**
 * The fingerprint of an Ed25519 public key given in the package's text encoding (base64url, 43
 * characters).
 *
 * @throws AmanatError input `crypto.bad_public_key` when `publicKey` is not a canonical base64url
 *   string of 32 bytes.
 */
export function fingerprintOf(publicKey: string): string {
  const bytes = decodeBase64Url(publicKey, 32)
  if (bytes === null) {
    throw new AmanatError(
      'input',
      'crypto.bad_public_key',
      'This is not an Amanat signing public key (43 characters of base64url).',
    )
  }
  return fingerprintOfBytes(bytes)
}

/** The fingerprint of 32 raw Ed25519 public-key bytes (see the module comment for the format). */
export function fingerprintOfBytes(publicKey: Uint8Array): string {
  return base32crockford.encode(sha256(publicKey).subarray(0, FINGERPRINT_BYTES)).toLowerCase()
}

/**
 * Turns a fingerprint as a person typed or a link carried it into the canonical compact form, or
 * returns null when it cannot be one. Case is ignored, as are spaces and hyphens; `i` and `l` are
 * read as `1` and `o` as `0`, as Crockford's base32 prescribes. Never throws.
 */
export function normalizeFingerprint(text: unknown): string | null {
  if (typeof text !== 'string' || text.length > 4 * FINGERPRINT_LENGTH) return null
  const compact = text.toLowerCase().replace(/[\s-]/g, '').replace(/[il]/g, '1').replace(/o/g, '0')
  return CANONICAL.test(compact) ? compact : null
}

/**
 * A fingerprint for people to read: eight groups of four characters joined by hyphens, for
 * example `7k2m-…`. {@link normalizeFingerprint} turns it back into the compact form.
 *
 * @throws AmanatError input `crypto.bad_fingerprint` when `fingerprint` does not normalise.
 */
export function formatFingerprint(fingerprint: string): string {
  const compact = normalizeFingerprint(fingerprint)
  if (compact === null) {
    throw new AmanatError(
      'input',
      'crypto.bad_fingerprint',
      'This is not a signing-key fingerprint (32 characters).',
    )
  }
  return compact.match(/.{4}/g)?.join('-') ?? compact
}
