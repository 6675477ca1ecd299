import fc from 'fast-check'
import { Decrypter, Encrypter, armor, generateHybridIdentity } from 'age-encryption'
import { describe, expect, it } from 'vitest'
import { isAmanatError } from '@amanat/domain'
import { PROPERTY_RUNS } from '../../../tools/test-support/profile.ts'
import {
  DEFAULT_SCRYPT_WORK_FACTOR,
  MIN_PRODUCTION_SCRYPT_WORK_FACTOR,
  createKeySet,
  encodeBase64Url,
  isX25519Recipient,
  sealBytes,
  verifySignature,
} from '../src/index.ts'
import { openBytes, unlockIdentity, unlockSigningKey } from '../src/open.ts'
import { encodeSigningKeyFile, x25519SecretOf } from '../src/signing-key-file.ts'
import {
  BACKUP_PASSPHRASE,
  PASSPHRASE,
  TEST_WORK_FACTOR,
  containsBytes,
  expectRefusal,
  flipped,
  party,
  testKeySet,
} from './support.ts'

const keys = await testKeySet()
const latin1 = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes)

async function passphraseFile(text: string, passphrase: string): Promise<Uint8Array> {
  const encrypter = new Encrypter()
  encrypter.setScryptWorkFactor(TEST_WORK_FACTOR)
  encrypter.setPassphrase(passphrase)
  return encrypter.encrypt(text)
}

describe('createKeySet', () => {
  it('returns X25519 recipients, a signing key with its fingerprint, and encrypted files only', () => {
    expect(isX25519Recipient(keys.analyst.recipient)).toBe(true)
    expect(isX25519Recipient(keys.backup.recipient)).toBe(true)
    expect(keys.backup.recipient).not.toBe(keys.analyst.recipient)
    expect(keys.signing.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(keys.scryptWorkFactor).toBe(TEST_WORK_FACTOR)
    for (const file of [keys.analyst.identityFile, keys.backup.identityFile, keys.signing.keyFile]) {
      expect(latin1(file)).not.toContain('AGE-SECRET-KEY-')
    }
  })

  it('protects the analyst identity as binary age with one scrypt stanza at the chosen factor', () => {
    const text = latin1(keys.analyst.identityFile)
    expect(text.startsWith('age-encryption.org/v1\n-> scrypt ')).toBe(true)
    expect(text).toMatch(new RegExp(`^-> scrypt \\S+ ${String(TEST_WORK_FACTOR)}\\n`, 'm'))
    expect(text.match(/^-> /gm)).toHaveLength(1)
  })

  it('writes the backup identity as printable ASCII armor', () => {
    const text = new TextDecoder().decode(keys.backup.identityFile)
    expect(text.startsWith('-----BEGIN AGE ENCRYPTED FILE-----\n')).toBe(true)
    expect(text.trimEnd().endsWith('-----END AGE ENCRYPTED FILE-----')).toBe(true)
    expect(text).toMatch(/^[\x20-\x7e\n]+$/)
    expect(latin1(armor.decode(text)).startsWith('age-encryption.org/v1\n-> scrypt ')).toBe(true)
  })

  it('encrypts the standard identity text, without a creation timestamp', async () => {
    const decrypter = new Decrypter()
    decrypter.addPassphrase(PASSPHRASE)
    const text = await decrypter.decrypt(keys.analyst.identityFile, 'text')
    expect(text).toMatch(
      new RegExp(`^# public key: ${keys.analyst.recipient}\\nAGE-SECRET-KEY-1[0-9A-Z]{58}\\n$`),
    )
  })

  it('uses age’s default work factor unless told otherwise', async () => {
    expect(MIN_PRODUCTION_SCRYPT_WORK_FACTOR).toBeLessThanOrEqual(DEFAULT_SCRYPT_WORK_FACTOR)
    const made = await createKeySet({ passphrase: 'a long passphrase', backupPassphrase: 'another long one' })
    expect(made.scryptWorkFactor).toBe(DEFAULT_SCRYPT_WORK_FACTOR)
    expect(latin1(made.analyst.identityFile)).toMatch(/^-> scrypt \S+ 18\n/m)
    expect(latin1(armor.decode(new TextDecoder().decode(made.backup.identityFile)))).toMatch(
      /^-> scrypt \S+ 18\n/m,
    )
  })

  it('refuses empty or equal passphrases and out-of-range work factors', async () => {
    await expectRefusal(
      createKeySet({ passphrase: '', backupPassphrase: 'b' }),
      'input',
      'keys.empty_passphrase',
    )
    await expectRefusal(
      createKeySet({ passphrase: 'a', backupPassphrase: '' }),
      'input',
      'keys.empty_passphrase',
    )
    await expectRefusal(
      createKeySet({ passphrase: 'same', backupPassphrase: 'same' }),
      'input',
      'keys.same_passphrase',
    )
    for (const scryptWorkFactor of [0, 21, 2.5, Number.NaN]) {
      await expectRefusal(
        createKeySet({ passphrase: 'a', backupPassphrase: 'b', scryptWorkFactor }),
        'usage',
        'keys.bad_work_factor',
      )
    }
  })
})

describe('unlockIdentity', () => {
  it('unlocks the analyst identity with the workspace passphrase, the backup with its own', async () => {
    const analyst = await unlockIdentity(keys.analyst.identityFile, PASSPHRASE)
    expect(analyst.recipient).toBe(keys.analyst.recipient)
    const backup = await unlockIdentity(keys.backup.identityFile, BACKUP_PASSPHRASE)
    expect(backup.recipient).toBe(keys.backup.recipient)
    const sealed = await sealBytes(new Uint8Array([7]), [keys.analyst.recipient, keys.backup.recipient])
    expect(await openBytes(sealed, [analyst.identity])).toEqual(new Uint8Array([7]))
    expect(await openBytes(sealed, [backup.identity])).toEqual(new Uint8Array([7]))
  })

  it('refuses a wrong passphrase with keys.wrong_passphrase and a plain message', async () => {
    for (const [file, passphrase] of [
      [keys.analyst.identityFile, 'not the passphrase'],
      [keys.analyst.identityFile, BACKUP_PASSPHRASE],
      [keys.backup.identityFile, PASSPHRASE],
      [keys.analyst.identityFile, ''],
    ] as const) {
      const error: unknown = await unlockIdentity(file, passphrase).catch((e: unknown) => e)
      expect(isAmanatError(error, 'keys.wrong_passphrase')).toBe(true)
      if (!isAmanatError(error)) throw error
      expect(error.kind).toBe('input')
      expect(error.message).toBe('The passphrase is wrong.')
    }
  })

  it('refuses a damaged file with keys.corrupt', async () => {
    const file = keys.analyst.identityFile
    const damaged = [
      flipped(file, file.length - 1),
      file.subarray(0, file.length - 1),
      file.subarray(0, 40),
      new TextEncoder().encode(
        new TextDecoder().decode(keys.backup.identityFile).replace('-----END', '----END'),
      ),
      new Uint8Array(),
      new TextEncoder().encode('AGE-SECRET-KEY-1 in the clear is not an identity file'),
    ]
    for (const bytes of damaged)
      await expectRefusal(unlockIdentity(bytes, PASSPHRASE), 'integrity', 'keys.corrupt')
  })

  it('refuses any single flipped byte, one way or the other, never unlocking', async () => {
    const file = keys.analyst.identityFile
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: file.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, mask) => {
          const error: unknown = await unlockIdentity(flipped(file, at, mask), PASSPHRASE).catch(
            (e: unknown) => e,
          )
          expect(isAmanatError(error, 'keys.corrupt') || isAmanatError(error, 'keys.wrong_passphrase')).toBe(
            true,
          )
        },
      ),
      { numRuns: PROPERTY_RUNS },
    )
  })

  it('refuses files that are not one passphrase-protected X25519 identity', async () => {
    const someone = await party()
    const notPassphrase = await sealBytes(new TextEncoder().encode(`${someone.identity}\n`), [
      someone.recipient,
    ])
    const hybrid = await passphraseFile(`${await generateHybridIdentity()}\n`, PASSPHRASE)
    const two = await passphraseFile(`${someone.identity}\n${(await party()).identity}\n`, PASSPHRASE)
    const lying = await passphraseFile(
      `# public key: ${keys.analyst.recipient}\n${someone.identity}\n`,
      PASSPHRASE,
    )
    for (const file of [notPassphrase, hybrid, two, lying]) {
      await expectRefusal(unlockIdentity(file, PASSPHRASE), 'integrity', 'keys.corrupt')
    }
  })

  it('accepts an identity file written as age-keygen does, with comments', async () => {
    const someone = await party()
    const text = `# created: 2026-01-01T00:00:00Z\n# public key: ${someone.recipient}\n${someone.identity}\n`
    const unlocked = await unlockIdentity(await passphraseFile(text, PASSPHRASE), PASSPHRASE)
    expect(unlocked).toEqual(someone)
  })
})

describe('signing key file', () => {
  it('holds the seed only encrypted, and unlocks to the published key', async () => {
    const analyst = await unlockIdentity(keys.analyst.identityFile, PASSPHRASE)
    const plaintext = await openBytes(keys.signing.keyFile, [analyst.identity])
    expect(latin1(plaintext.subarray(0, 22))).toBe('AMANAT-ED25519-KEY-V1\n')
    const seed = plaintext.subarray(22, 54)
    expect(seed.some((byte) => byte !== 0)).toBe(true)
    expect(containsBytes(keys.signing.keyFile, seed)).toBe(false)
    expect(latin1(keys.signing.keyFile)).not.toContain(encodeBase64Url(seed))
    expect(latin1(keys.signing.keyFile)).not.toContain(Buffer.from(seed).toString('hex'))
    expect(latin1(keys.signing.keyFile)).not.toContain(Buffer.from(seed).toString('base64').slice(0, 40))

    const signingKey = await unlockSigningKey(keys.signing.keyFile, analyst.identity)
    expect(signingKey.publicKey).toBe(keys.signing.publicKey)
    expect(signingKey.fingerprint).toBe(keys.signing.fingerprint)
    const message = new TextEncoder().encode('signed')
    expect(verifySignature(keys.signing.publicKey, message, signingKey.sign(message))).toBe(true)
  })

  it('refuses a key file swapped in by someone without the analyst identity', async () => {
    const analyst = await unlockIdentity(keys.analyst.identityFile, PASSPHRASE)
    const attacker = await party()
    const attackerSecret = x25519SecretOf(attacker.identity)
    if (attackerSecret === null) throw new Error('unreachable')
    const chosenSeed = new Uint8Array(32).fill(9)
    // Right format, sealed to the analyst, but tagged with a key the attacker holds.
    const swapped = await sealBytes(encodeSigningKeyFile(attackerSecret, chosenSeed), [analyst.recipient])
    await expectRefusal(unlockSigningKey(swapped, analyst.identity), 'integrity', 'keys.corrupt')
    const otherWorkspace = await testKeySet()
    await expectRefusal(
      unlockSigningKey(otherWorkspace.signing.keyFile, analyst.identity),
      'integrity',
      'keys.corrupt',
    )
    const notAKeyFile = await sealBytes(new Uint8Array(86), [analyst.recipient])
    await expectRefusal(unlockSigningKey(notAKeyFile, analyst.identity), 'integrity', 'keys.corrupt')
    await expectRefusal(
      unlockSigningKey(flipped(keys.signing.keyFile, 100), analyst.identity),
      'integrity',
      'keys.corrupt',
    )
    await expectRefusal(
      unlockSigningKey(keys.signing.keyFile, 'AGE-SECRET-KEY-1XYZ'),
      'input',
      'crypto.bad_identity',
    )
  })
})
