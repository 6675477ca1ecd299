import { base64urlnopad } from '@scure/base'

/**
 * The one text encoding for public keys and signatures: base64url (RFC 4648 §5) without padding.
 *
 * Decoding is strict so that each byte string has exactly one accepted text form: no padding, no
 * whitespace, no standard-alphabet `+`/`/`, no non-zero trailing bits.
 */

/** Encodes bytes as unpadded base64url. */
export function encodeBase64Url(bytes: Uint8Array): string {
  return base64urlnopad.encode(bytes)
}

/**
 * Decodes unpadded base64url. Returns null (never throws) when `text` is not a string, is not in
 * the canonical form {@link encodeBase64Url} produces, or does not decode to `length` bytes.
 */
export function decodeBase64Url(text: unknown, length: number): Uint8Array | null {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text)) return null
  try {
    const bytes = base64urlnopad.decode(text)
    if (bytes.length !== length || base64urlnopad.encode(bytes) !== text) return null
    return bytes
  } catch {
    return null
  }
}

/** UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

/** Byte concatenation. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}
