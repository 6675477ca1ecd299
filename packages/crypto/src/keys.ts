import { AmanatError } from '@amanat/domain'
import { ed25519 } from '@noble/curves/ed25519.js'
import { Encrypter, armor, generateX25519Identity, identityToRecipient } from 'age-encryption'
import { encodeBase64Url, utf8 } from './encoding.ts'
import { fingerprintOfBytes } from './fingerprint.ts'
import { sealBytes } from './seal.ts'
import { encodeSigningKeyFile, x25519SecretOf } from './signing-key-file.ts'

/**
 * Making a workspace's keys (`amanat init`). Everything secret leaves this module encrypted:
 * the caller writes the files to disk as they are and keeps the public parts in the clear.
 */

/** age's own default scrypt work factor (log2 N): about a second and 256 MiB per unlock. */
export const DEFAULT_SCRYPT_WORK_FACTOR = 18
/**
 * The lowest work factor for real use. A key set made with less is a test key set: the workspace
 * records it as a test setting and the CLI warns (the caller's job).
 */
export const MIN_PRODUCTION_SCRYPT_WORK_FACTOR = 18
/** The highest work factor age-encryption will open (it refuses more than 20). */
export const MAX_SCRYPT_WORK_FACTOR = 20

/** A passphrase-protected age identity and its public recipient. */
export interface ProtectedIdentity {
  /** The X25519 recipient (`age1…`) to seal to. */
  readonly recipient: string
  /**
   * The age identity file (`# public key: age1…` then `AGE-SECRET-KEY-1…`), encrypted by age with
   * a scrypt passphrase stanza. `age -d` with the passphrase yields a file usable as `age -i`.
   */
  readonly identityFile: Uint8Array
}

/** A new workspace's keys: public parts in the clear, secret parts only encrypted. */
export interface KeySet {
  /** The analyst's identity, under the workspace passphrase, as a binary age file. */
  readonly analyst: ProtectedIdentity
  /**
   * The offline backup identity, under the backup passphrase, as ASCII-armored age text (UTF-8
   * bytes of `-----BEGIN AGE ENCRYPTED FILE-----…`) so it can be printed and typed back.
   */
  readonly backup: ProtectedIdentity
  /** The organisation's Ed25519 signing key. */
  readonly signing: {
    /** Unpadded base64url of the 32-byte public key. */
    readonly publicKey: string
    /** Its fingerprint (`fingerprintOf`). */
    readonly fingerprint: string
    /**
     * The 32-byte secret seed with an authenticity tag, sealed with age to the analyst's
     * recipient: unlocking the analyst identity unlocks signing without a second scrypt.
     */
    readonly keyFile: Uint8Array
  }
  /** The scrypt work factor both identity files were made with. */
  readonly scryptWorkFactor: number
}

export interface CreateKeySetOptions {
  /** The workspace passphrase; protects the analyst identity (and so the signing key). */
  readonly passphrase: string
  /** The backup passphrase; must differ from `passphrase`. */
  readonly backupPassphrase: string
  /**
   * log2 of scrypt's N, 1 to 20; default {@link DEFAULT_SCRYPT_WORK_FACTOR}. Pass a lower value
   * only for tests: below {@link MIN_PRODUCTION_SCRYPT_WORK_FACTOR} the key set is weak.
   */
  readonly scryptWorkFactor?: number
}

function identityText(identity: string, recipient: string): string {
  // The format age-keygen writes, minus its "# created:" line: a timestamp is metadata we keep out.
  return `# public key: ${recipient}\n${identity}\n`
}

async function protect(text: string, passphrase: string, workFactor: number): Promise<Uint8Array> {
  const encrypter = new Encrypter()
  encrypter.setScryptWorkFactor(workFactor)
  encrypter.setPassphrase(passphrase)
  return encrypter.encrypt(utf8(text))
}

function checkOptions(options: CreateKeySetOptions): number {
  const { passphrase, backupPassphrase, scryptWorkFactor = DEFAULT_SCRYPT_WORK_FACTOR } = options
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new AmanatError('input', 'keys.empty_passphrase', 'The workspace passphrase is empty.')
  }
  if (typeof backupPassphrase !== 'string' || backupPassphrase.length === 0) {
    throw new AmanatError('input', 'keys.empty_passphrase', 'The backup passphrase is empty.')
  }
  if (passphrase === backupPassphrase) {
    throw new AmanatError(
      'input',
      'keys.same_passphrase',
      'The backup passphrase must differ from the workspace passphrase, or the backup protects nothing extra.',
    )
  }
  if (
    !Number.isInteger(scryptWorkFactor) ||
    scryptWorkFactor < 1 ||
    scryptWorkFactor > MAX_SCRYPT_WORK_FACTOR
  ) {
    throw new AmanatError(
      'usage',
      'keys.bad_work_factor',
      `The scrypt work factor must be a whole number from 1 to ${String(MAX_SCRYPT_WORK_FACTOR)}.`,
    )
  }
  return scryptWorkFactor
}

/**
 * Creates the three keys of a new workspace: the analyst's X25519 age identity, an offline backup
 * X25519 identity and the organisation's Ed25519 signing key. Runs scrypt twice at the chosen work
 * factor (about two seconds at the default). Only X25519 identities are made, never post-quantum
 * hybrid ones, so Debian's age 1.1.1 can use them.
 *
 * @throws AmanatError input `keys.empty_passphrase` when a passphrase is empty; input
 *   `keys.same_passphrase` when both passphrases are equal; usage `keys.bad_work_factor` when the
 *   work factor is not a whole number from 1 to {@link MAX_SCRYPT_WORK_FACTOR}.
 */
export async function createKeySet(options: CreateKeySetOptions): Promise<KeySet> {
  const workFactor = checkOptions(options)

  const analystIdentity = await generateX25519Identity()
  const analystRecipient = await identityToRecipient(analystIdentity)
  const backupIdentity = await generateX25519Identity()
  const backupRecipient = await identityToRecipient(backupIdentity)

  const analystSecret = x25519SecretOf(analystIdentity)
  if (analystSecret === null) {
    throw new AmanatError(
      'internal',
      'keys.generation_failed',
      'age-encryption produced an identity of an unexpected form.',
    )
  }
  const seed = ed25519.utils.randomSecretKey()
  const publicKey = ed25519.getPublicKey(seed)
  const keyFilePlaintext = encodeSigningKeyFile(analystSecret, seed)
  let keyFile: Uint8Array
  try {
    keyFile = await sealBytes(keyFilePlaintext, [analystRecipient])
  } finally {
    // Best effort: JavaScript strings (the identities) cannot be wiped, byte arrays can.
    seed.fill(0)
    analystSecret.fill(0)
    keyFilePlaintext.fill(0)
  }

  return {
    analyst: {
      recipient: analystRecipient,
      identityFile: await protect(
        identityText(analystIdentity, analystRecipient),
        options.passphrase,
        workFactor,
      ),
    },
    backup: {
      recipient: backupRecipient,
      identityFile: utf8(
        armor.encode(
          await protect(identityText(backupIdentity, backupRecipient), options.backupPassphrase, workFactor),
        ),
      ),
    },
    signing: { publicKey: encodeBase64Url(publicKey), fingerprint: fingerprintOfBytes(publicKey), keyFile },
    scryptWorkFactor: workFactor,
  }
}
