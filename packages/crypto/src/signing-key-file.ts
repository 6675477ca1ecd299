import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bech32 } from '@scure/base'
import { concatBytes, utf8 } from './encoding.ts'

/**
 * The plaintext of a signing key file, before it is sealed with age to the analyst's recipient:
 *
 *     "AMANAT-ED25519-KEY-V1\n" (22 bytes) ‖ Ed25519 seed (32 bytes) ‖ tag (32 bytes)
 *
 * tag = HMAC-SHA256(HKDF-SHA256(ikm = the analyst's raw X25519 secret, no salt,
 * info = "amanat/signing-key-file/v1", 32 bytes), seed).
 *
 * Why a tag: age gives confidentiality, not authenticity, and anyone can seal to a public
 * recipient. Without the tag, someone who can write to the workspace folder could swap in a key
 * file holding a seed of their own choosing, and the organisation would then sign questionnaires
 * with a key the attacker knows. Only the holder of the analyst identity can compute the tag.
 */

export const SIGNING_KEY_FILE_MAGIC = utf8('AMANAT-ED25519-KEY-V1\n')
export const SIGNING_KEY_FILE_LENGTH = SIGNING_KEY_FILE_MAGIC.length + 32 + 32

/** The 32 secret bytes of an `AGE-SECRET-KEY-1…` X25519 identity, or null when it is not one. */
export function x25519SecretOf(identity: string): Uint8Array | null {
  if (!/^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$/.test(identity)) return null
  try {
    const decoded = bech32.decodeToBytes(identity)
    return decoded.prefix === 'age-secret-key-' && decoded.bytes.length === 32 ? decoded.bytes : null
  } catch {
    return null
  }
}

/** The tag binding `seed` to the analyst identity whose raw secret is `x25519Secret`. */
export function signingKeyFileTag(x25519Secret: Uint8Array, seed: Uint8Array): Uint8Array {
  const key = hkdf(sha256, x25519Secret, undefined, utf8('amanat/signing-key-file/v1'), 32)
  const tag = hmac(sha256, key, seed)
  key.fill(0)
  return tag
}

/** The plaintext described above. The caller seals it and wipes it. */
export function encodeSigningKeyFile(x25519Secret: Uint8Array, seed: Uint8Array): Uint8Array {
  return concatBytes(SIGNING_KEY_FILE_MAGIC, seed, signingKeyFileTag(x25519Secret, seed))
}
