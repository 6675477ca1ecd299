import { ed25519 } from '@noble/curves/ed25519.js'
import { AmanatError, isAmanatError } from '@amanat/domain'
import { documentMessage } from '../documents.ts'
import { encodeBase64Url } from '../encoding.ts'
import { fingerprintOfBytes } from '../fingerprint.ts'
import type { SigningKey } from '../signing.ts'
import {
  SIGNING_KEY_FILE_LENGTH,
  SIGNING_KEY_FILE_MAGIC,
  signingKeyFileTag,
  x25519SecretOf,
} from '../signing-key-file.ts'
import { badIdentity, corruptKeyFile } from './errors.ts'
import { openBytes } from './open-bytes.ts'

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0)
  return difference === 0
}

/**
 * Opens the signing key file from `createKeySet` with the unlocked analyst identity and returns a
 * key that signs. The seed stays in the returned object's closure.
 *
 * @throws AmanatError input `crypto.bad_identity` when `identity` is not an X25519 age identity;
 *   AmanatError integrity `keys.corrupt` when the file does not open with this identity, is not a
 *   signing key file, or its tag shows it was not made by this identity's holder (a swapped file).
 */
export async function unlockSigningKey(keyFile: Uint8Array, identity: string): Promise<SigningKey> {
  const secret = x25519SecretOf(identity)
  if (secret === null) throw badIdentity(0)
  let plaintext: Uint8Array
  try {
    plaintext = await openBytes(keyFile, [identity])
  } catch (error) {
    secret.fill(0)
    if (isAmanatError(error, 'crypto.undecryptable')) throw corruptKeyFile('signing key file', error)
    throw error
  }
  try {
    const magic = plaintext.subarray(0, SIGNING_KEY_FILE_MAGIC.length)
    if (plaintext.length !== SIGNING_KEY_FILE_LENGTH || !equalBytes(magic, SIGNING_KEY_FILE_MAGIC)) {
      throw corruptKeyFile('signing key file')
    }
    const seed = plaintext.slice(SIGNING_KEY_FILE_MAGIC.length, SIGNING_KEY_FILE_MAGIC.length + 32)
    const tag = plaintext.subarray(SIGNING_KEY_FILE_MAGIC.length + 32)
    if (!equalBytes(tag, signingKeyFileTag(secret, seed))) {
      seed.fill(0)
      throw corruptKeyFile('signing key file')
    }
    const publicKeyBytes = ed25519.getPublicKey(seed)
    return Object.freeze({
      publicKey: encodeBase64Url(publicKeyBytes),
      fingerprint: fingerprintOfBytes(publicKeyBytes),
      sign(message: Uint8Array): string {
        if (!(message instanceof Uint8Array)) {
          throw new AmanatError('usage', 'crypto.bad_message', 'Only bytes can be signed.')
        }
        return encodeBase64Url(ed25519.sign(message, seed))
      },
    })
  } finally {
    plaintext.fill(0)
    secret.fill(0)
  }
}

/**
 * Signs `value` as a document of kind `context` (the bytes are those of `documentMessage`; check
 * with `verifyDocument` from the main entry). Returns the signature as unpadded base64url.
 *
 * @throws as `documentMessage`: usage `crypto.bad_context`, input `crypto.not_canonical_json`.
 */
export function signDocument(key: SigningKey, context: string, value: unknown): string {
  return key.sign(documentMessage(context, value))
}
