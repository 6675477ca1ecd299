import { ed25519 } from '@noble/curves/ed25519.js'
import { decodeBase64Url } from './encoding.ts'

/**
 * Ed25519 signatures, verification side. Verification is all the main entry offers: a signing key
 * is secret, so signing lives behind `@amanat/crypto/open` (`unlockSigningKey`).
 *
 * Text encodings: public keys are 32 bytes and signatures 64 bytes (RFC 8032), both written as
 * unpadded base64url (43 and 86 characters). Verification follows RFC 8032 strictly (no ZIP-215
 * leniency), so a signature has one valid byte form and one valid text form.
 */

/** Length of a public key in its text encoding. */
export const PUBLIC_KEY_TEXT_LENGTH = 43
/** Length of a signature in its text encoding. */
export const SIGNATURE_TEXT_LENGTH = 86

/**
 * An unlocked organisation signing key. Obtained only from `unlockSigningKey` in
 * `@amanat/crypto/open`; the secret stays inside the closure.
 */
export interface SigningKey {
  /** The public key, unpadded base64url of 32 bytes. */
  readonly publicKey: string
  /** The fingerprint of the public key (`fingerprintOf`). */
  readonly fingerprint: string
  /** Signs `message` (Ed25519, deterministic) and returns the signature as unpadded base64url. */
  sign(message: Uint8Array): string
}

/**
 * True when `publicKey` is a canonical base64url Ed25519 public key: 32 bytes encoding a curve
 * point that is not of small order (such keys let one signature verify for many messages, and
 * strict verification refuses them anyway). Never throws.
 */
export function isSigningPublicKey(publicKey: unknown): publicKey is string {
  const bytes = decodeBase64Url(publicKey, 32)
  if (bytes === null) return false
  try {
    return !ed25519.Point.fromBytes(bytes, false).isSmallOrder()
  } catch {
    return false
  }
}

/**
 * True when `signature` is a valid Ed25519 signature by `publicKey` over exactly `message`.
 * Returns false, and never throws, for anything else: wrong key, altered message, a malformed or
 * non-canonical encoding, wrong types.
 */
export function verifySignature(publicKey: unknown, message: unknown, signature: unknown): boolean {
  if (!(message instanceof Uint8Array)) return false
  const key = decodeBase64Url(publicKey, 32)
  const sig = decodeBase64Url(signature, 64)
  if (key === null || sig === null) return false
  try {
    return ed25519.verify(sig, message, key, { zip215: false })
  } catch {
    return false
  }
}
