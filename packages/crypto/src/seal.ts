import { Encrypter } from 'age-encryption'
import { assertX25519Recipients } from './recipient.ts'

export { isX25519Recipient } from './recipient.ts'

/**
 * Seals `plaintext` into a binary age file (no armor) with one X25519 stanza per recipient. Any
 * holder of one of the matching identities can open it, with this package or with the standard
 * `age -d -i` command. The length of the plaintext shows through (age does not pad): pad before
 * sealing when the length says something.
 *
 * @throws AmanatError input `crypto.bad_recipient` when the list is empty, holds anything but a
 *   plain X25519 recipient, or names one recipient twice (see {@link assertX25519Recipients}).
 */
export async function sealBytes(plaintext: Uint8Array, recipients: readonly string[]): Promise<Uint8Array> {
  assertX25519Recipients(recipients)
  const encrypter = new Encrypter()
  for (const recipient of recipients) encrypter.addRecipient(recipient)
  return encrypter.encrypt(plaintext)
}
