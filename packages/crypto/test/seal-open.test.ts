import fc from 'fast-check'
import { bech32 } from '@scure/base'
import { Decrypter, Encrypter, Stanza, generateHybridIdentity, identityToRecipient } from 'age-encryption'
import { describe, expect, it } from 'vitest'
import { PROPERTY_RUNS } from '../../../tools/test-support/profile.ts'
import { assertX25519Recipients, isX25519Recipient, sealBytes } from '../src/index.ts'
import { createOpener, openBytes } from '../src/open.ts'
import { expectRefusal, expectThrows, flipped, party } from './support.ts'

const alice = await party()
const bob = await party()

describe('sealBytes then openBytes', () => {
  it('returns exactly the sealed bytes, for any bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 70_000 }), async (plaintext) => {
        const sealed = await sealBytes(plaintext, [alice.recipient])
        expect(await openBytes(sealed, [alice.identity])).toEqual(plaintext)
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })

  it('round-trips the empty plaintext and a 1 MiB one', async () => {
    for (const size of [0, 1024 * 1024]) {
      const plaintext = new Uint8Array(size).map((_, i) => (i * 31 + 7) & 0xff)
      const sealed = await sealBytes(plaintext, [alice.recipient])
      expect(await openBytes(sealed, [alice.identity])).toEqual(plaintext)
    }
  })

  it('writes a binary age file with one X25519 stanza per recipient, each able to open it', async () => {
    const carol = await party()
    const sealed = await sealBytes(new TextEncoder().encode('testimony'), [
      alice.recipient,
      bob.recipient,
      carol.recipient,
    ])
    const header = new TextDecoder('latin1').decode(sealed).split('\n---')[0] ?? ''
    expect(header.startsWith('age-encryption.org/v1\n')).toBe(true)
    expect(header.match(/^-> X25519 /gm)).toHaveLength(3)
    expect(header.match(/^-> /gm)).toHaveLength(3)
    for (const who of [alice, bob, carol]) {
      expect(new TextDecoder().decode(await openBytes(sealed, [who.identity]))).toBe('testimony')
    }
  })

  it('opens with any one of several identities, and a reusable opener opens many files', async () => {
    const sealed = await sealBytes(new Uint8Array([1, 2, 3]), [bob.recipient])
    expect(await openBytes(sealed, [alice.identity, bob.identity])).toEqual(new Uint8Array([1, 2, 3]))
    const open = createOpener([bob.identity])
    for (let i = 0; i < 3; i++) {
      expect(await open(await sealBytes(new Uint8Array([i]), [bob.recipient]))).toEqual(new Uint8Array([i]))
    }
  })
})

describe('openBytes refusals', () => {
  it('refuses a file not sealed to the given identities', async () => {
    const sealed = await sealBytes(new Uint8Array([42]), [alice.recipient])
    await expectRefusal(openBytes(sealed, [bob.identity]), 'integrity', 'crypto.undecryptable')
  })

  it('refuses every single flipped byte and every truncation of a small file', async () => {
    const sealed = await sealBytes(new TextEncoder().encode('a short answer'), [alice.recipient])
    const open = createOpener([alice.identity])
    for (let i = 0; i < sealed.length; i++) {
      await expectRefusal(open(flipped(sealed, i, 0x01)), 'integrity', 'crypto.undecryptable')
    }
    for (let length = 0; length < sealed.length; length++) {
      await expectRefusal(open(sealed.subarray(0, length)), 'integrity', 'crypto.undecryptable')
    }
  })

  it('refuses any flipped byte, truncation or extension of any file', async () => {
    const open = createOpener([alice.identity])
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 70_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 255 }),
        fc.uint8Array({ minLength: 1, maxLength: 40 }),
        async (plaintext, where, mask, extra) => {
          const sealed = await sealBytes(plaintext, [alice.recipient])
          const at = Math.floor(where * sealed.length)
          await expectRefusal(open(flipped(sealed, at, mask)), 'integrity', 'crypto.undecryptable')
          await expectRefusal(open(sealed.subarray(0, at)), 'integrity', 'crypto.undecryptable')
          const extended = new Uint8Array([...sealed, ...extra])
          await expectRefusal(open(extended), 'integrity', 'crypto.undecryptable')
        },
      ),
      { numRuns: PROPERTY_RUNS },
    )
  })

  it('refuses a multi-chunk file cut exactly at a chunk boundary', async () => {
    // 3 × 64 KiB of plaintext is three full chunks, the last one carrying the final-chunk flag.
    const chunkWithTag = 64 * 1024 + 16
    const sealed = await sealBytes(new Uint8Array(3 * 64 * 1024), [alice.recipient])
    const headerAndNonce = sealed.length - 3 * chunkWithTag
    expect(
      new TextDecoder('latin1').decode(sealed.subarray(headerAndNonce - 16 - 49, headerAndNonce - 16)),
    ).toMatch(/^\n--- [A-Za-z0-9+/]{43}\n$/)
    for (const chunks of [1, 2]) {
      const cut = sealed.subarray(0, headerAndNonce + chunks * chunkWithTag)
      await expectRefusal(openBytes(cut, [alice.identity]), 'integrity', 'crypto.undecryptable')
    }
  })

  it('refuses a file that also carries a passphrase stanza, as the age spec requires', async () => {
    // age-encryption alone would open this file (it checks the rule only when given a passphrase).
    const encrypter = new Encrypter()
    encrypter.addRecipient(alice.recipient)
    encrypter.addRecipient({
      wrapFileKey: () => [new Stanza(['scrypt', 'c2FsdHNhbHRzYWx0c2FsdA', '10'], new Uint8Array(32))],
    })
    const mixed = await encrypter.encrypt('x')
    const lenient = new Decrypter()
    lenient.addIdentity(alice.identity)
    expect(await lenient.decrypt(mixed, 'text')).toBe('x')
    await expectRefusal(openBytes(mixed, [alice.identity]), 'integrity', 'crypto.undecryptable')
  })

  it('refuses armored input, garbage and the empty file', async () => {
    for (const file of [
      new TextEncoder().encode('-----BEGIN AGE ENCRYPTED FILE-----\n'),
      new Uint8Array(100),
      new Uint8Array(),
    ]) {
      await expectRefusal(openBytes(file, [alice.identity]), 'integrity', 'crypto.undecryptable')
    }
  })

  it('refuses identities that are not plain X25519 ones', async () => {
    const sealed = await sealBytes(new Uint8Array([1]), [alice.recipient])
    const hybrid = await generateHybridIdentity()
    for (const identities of [
      [],
      [hybrid],
      ['AGE-SECRET-KEY-1'],
      [alice.identity.toLowerCase()],
      [` ${alice.identity}`],
    ]) {
      await expectRefusal(openBytes(sealed, identities), 'input', 'crypto.bad_identity')
    }
  })
})

describe('recipients', () => {
  const lowOrder = bech32.encodeFromBytes('age', new Uint8Array(32))

  it('accepts generated X25519 recipients', async () => {
    expect(isX25519Recipient(alice.recipient)).toBe(true)
    expect(isX25519Recipient((await party()).recipient)).toBe(true)
  })

  it('refuses hybrid, tag, plugin, SSH, small-order, upper-case, padded and garbage recipients', async () => {
    const hybrid = await identityToRecipient(await generateHybridIdentity())
    expect(hybrid.startsWith('age1pq1')).toBe(true)
    const bad = [
      hybrid,
      bech32.encodeFromBytes('age1tag', new Uint8Array(33).fill(2)),
      bech32.encodeFromBytes('age1yubikey', new Uint8Array(33).fill(3)),
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDmT5jyW3vVn5cBo1sdb1w0VqMJIyOu8Z4wvcgCDkqtV',
      lowOrder,
      alice.recipient.toUpperCase(),
      `${alice.recipient}\n`,
      `${alice.recipient.slice(0, -1)}${alice.recipient.endsWith('q') ? 'p' : 'q'}`,
      '',
      'age1',
      'not a key',
    ]
    for (const recipient of bad) {
      expect(isX25519Recipient(recipient)).toBe(false)
      await expectRefusal(
        sealBytes(new Uint8Array([1]), [alice.recipient, recipient]),
        'input',
        'crypto.bad_recipient',
      )
    }
  })

  it('refuses any single-character change to a valid recipient', () => {
    const alphabet = 'qpzry9x8gf2tvdw0s3jn54khce6mua7lQPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L1bio '
    fc.assert(
      fc.property(fc.nat({ max: 61 }), fc.constantFrom(...alphabet), (at, replacement) => {
        const changed = alice.recipient.slice(0, at) + replacement + alice.recipient.slice(at + 1)
        fc.pre(changed !== alice.recipient)
        expect(isX25519Recipient(changed)).toBe(false)
      }),
      { numRuns: PROPERTY_RUNS * 4 },
    )
  })

  it('refuses an empty list, a repeated recipient and non-string entries', async () => {
    await expectRefusal(sealBytes(new Uint8Array([1]), []), 'input', 'crypto.bad_recipient')
    await expectRefusal(
      sealBytes(new Uint8Array([1]), [alice.recipient, alice.recipient]),
      'input',
      'crypto.bad_recipient',
    )
    expectThrows(() => assertX25519Recipients([alice.recipient, 42]), 'input', 'crypto.bad_recipient')
  })
})
