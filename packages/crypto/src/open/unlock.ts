import { AmanatError } from '@amanat/domain'
import { Decrypter, identityToRecipient, type Identity } from 'age-encryption'
import { x25519SecretOf } from '../signing-key-file.ts'
import { dearmor, stanzaTypes } from './age-header.ts'
import { corruptKeyFile } from './errors.ts'

/** An unlocked age identity and the recipient it answers to. */
export interface UnlockedIdentity {
  /** `AGE-SECRET-KEY-1…`: keep in memory only. */
  readonly identity: string
  /** `age1…` */
  readonly recipient: string
}

function wrongPassphrase(): AmanatError {
  return new AmanatError('input', 'keys.wrong_passphrase', 'The passphrase is wrong.')
}

/** Reads the identity out of age identity-file text: comments, blank lines and one X25519 key. */
async function parseIdentityText(plaintext: Uint8Array): Promise<UnlockedIdentity> {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(plaintext)
  } catch (error) {
    throw corruptKeyFile('identity file', error)
  }
  let declared: string | null = null
  const keys: string[] = []
  for (const line of text.split(/\r?\n/)) {
    const publicKeyComment = /^# public key: (\S+)$/.exec(line)
    if (publicKeyComment) declared = publicKeyComment[1] ?? null
    else if (line.trim() !== '' && !line.startsWith('#')) keys.push(line)
  }
  const [identity] = keys
  if (keys.length !== 1 || identity === undefined) throw corruptKeyFile('identity file')
  const secret = x25519SecretOf(identity)
  if (secret === null) throw corruptKeyFile('identity file')
  secret.fill(0)
  const recipient = await identityToRecipient(identity)
  if (declared !== null && declared !== recipient) throw corruptKeyFile('identity file')
  return { identity, recipient }
}

/**
 * Decrypts a passphrase-protected identity file as `createKeySet` writes it (binary age, or the
 * ASCII-armored backup form), or as `age -p` writes an `age-keygen` file. Runs scrypt once at the
 * file's work factor (age-encryption refuses factors above 20).
 *
 * @throws AmanatError input `keys.wrong_passphrase` when the passphrase does not unlock the file
 *   (a file whose passphrase stanza was altered looks the same: age cannot tell the two apart);
 *   AmanatError integrity `keys.corrupt` when the file is not a passphrase-protected age file, its
 *   header or payload fails authentication, or the plaintext is not one X25519 identity whose
 *   `# public key:` comment, if any, matches it.
 */
export async function unlockIdentity(
  identityFile: Uint8Array,
  passphrase: string,
): Promise<UnlockedIdentity> {
  const file = identityFile instanceof Uint8Array ? dearmor(identityFile) : null
  const types = file === null ? null : stanzaTypes(file)
  if (file === null || types?.length !== 1 || types[0] !== 'scrypt') throw corruptKeyFile('identity file')

  // Decrypter tries identities in order and stops at the first that yields a file key, so this
  // sentinel runs exactly when the passphrase did not unwrap the stanza. That separates a wrong
  // passphrase from damage without matching age-encryption's error messages.
  let passphraseFailed = false
  const sentinel: Identity = {
    unwrapFileKey: () => {
      passphraseFailed = true
      return null
    },
  }
  const decrypter = new Decrypter()
  decrypter.addPassphrase(passphrase)
  decrypter.addIdentity(sentinel)
  let plaintext: Uint8Array
  try {
    plaintext = await decrypter.decrypt(file)
  } catch (error) {
    throw passphraseFailed ? wrongPassphrase() : corruptKeyFile('identity file', error)
  }
  try {
    return await parseIdentityText(plaintext)
  } finally {
    plaintext.fill(0)
  }
}
