import { Decrypter } from 'age-encryption'
import { x25519SecretOf } from '../signing-key-file.ts'
import { stanzaTypes } from './age-header.ts'
import { badIdentity, undecryptable } from './errors.ts'

/** Opens binary age files with a fixed set of identities. */
export type Opener = (ciphertext: Uint8Array) => Promise<Uint8Array>

/**
 * Prepares to open many binary age files with the same X25519 identities (`AGE-SECRET-KEY-1…`
 * strings). The returned function behaves like {@link openBytes}.
 *
 * @throws AmanatError input `crypto.bad_identity` when the list is empty or holds anything but a
 *   plain X25519 identity (post-quantum identities included).
 */
export function createOpener(identities: readonly string[]): Opener {
  const list: unknown = identities
  if (!Array.isArray(list) || list.length === 0) throw badIdentity(0)
  const decrypter = new Decrypter()
  list.forEach((identity: unknown, index) => {
    const secret = typeof identity === 'string' ? x25519SecretOf(identity) : null
    if (secret === null) throw badIdentity(index)
    secret.fill(0)
    decrypter.addIdentity(identity as string)
  })
  return async (ciphertext) => {
    if (!(ciphertext instanceof Uint8Array)) throw undecryptable()
    // age requires a passphrase stanza to stand alone; the Go implementation checks that for every
    // file, age-encryption only when given a passphrase. Sealed files never carry one, so refuse.
    if (stanzaTypes(ciphertext)?.includes('scrypt') ?? false) throw undecryptable()
    try {
      // A Uint8Array input is decrypted whole before the promise resolves: every chunk is
      // authenticated, including the final-chunk flag, so no partial plaintext ever escapes.
      return await decrypter.decrypt(ciphertext)
    } catch (error) {
      throw undecryptable(error)
    }
  }
}

/**
 * Opens a binary age file (not armored) sealed to one of `identities`, returning all of its
 * plaintext or nothing.
 *
 * @throws AmanatError integrity `crypto.undecryptable` when the file is tampered with, truncated,
 *   extended, not an age file, or has no stanza for these identities (one message for all, so the
 *   refusal says nothing about which check failed); AmanatError input `crypto.bad_identity` as
 *   {@link createOpener}.
 */
export async function openBytes(ciphertext: Uint8Array, identities: readonly string[]): Promise<Uint8Array> {
  return createOpener(identities)(ciphertext)
}
