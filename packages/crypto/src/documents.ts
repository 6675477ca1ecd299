import { AmanatError } from '@amanat/domain'
import { canonicalJson } from './canonical-json.ts'
import { concatBytes, utf8 } from './encoding.ts'
import { verifySignature } from './signing.ts'

/**
 * Signed documents: a JSON value signed together with a context that says what kind of document
 * it is, so a signature on a questionnaire can never be presented as a signature on a dossier
 * manifest (one organisation key signs both).
 *
 * Signed bytes, for any other implementation: UTF-8 of the context, one line feed (0x0a), then
 * UTF-8 of {@link canonicalJson} of the value (RFC 8785). The signature is Ed25519 over those
 * bytes, written as unpadded base64url.
 */

const CONTEXT = /^[a-z0-9][a-z0-9._/-]{0,63}$/

/**
 * The bytes a document signature covers.
 *
 * @param context - what the document is, e.g. `amanat/questionnaire/v1`: 1 to 64 characters of
 *   `a-z 0-9 . _ / -`, starting with a letter or digit.
 * @throws AmanatError usage `crypto.bad_context` for any other context; AmanatError input
 *   `crypto.not_canonical_json` when `value` has no canonical JSON form.
 */
export function documentMessage(context: string, value: unknown): Uint8Array {
  if (typeof context !== 'string' || !CONTEXT.test(context)) {
    throw new AmanatError(
      'usage',
      'crypto.bad_context',
      'A document signature context must be 1-64 characters of a-z, 0-9, ".", "_", "/" or "-".',
    )
  }
  return concatBytes(utf8(context), utf8('\n'), utf8(canonicalJson(value)))
}

/**
 * True when `signature` signs `value` under `context` with `publicKey` (see the module comment for
 * the signed bytes). Returns false, never throws, for any failure: a different value or context, a
 * bad key or signature encoding, or a value with no canonical JSON form.
 */
export function verifyDocument(
  publicKey: unknown,
  context: string,
  value: unknown,
  signature: unknown,
): boolean {
  let message: Uint8Array
  try {
    message = documentMessage(context, value)
  } catch {
    return false
  }
  return verifySignature(publicKey, message, signature)
}
