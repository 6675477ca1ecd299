import { createHash, hkdfSync } from 'node:crypto'
import { sealBytes } from '@amanat/crypto'
import { isAmanatError } from '@amanat/domain'
import { Decrypter, generateX25519Identity, identityToRecipient } from 'age-encryption'
import { CCTV_VECTORS, type CctvVector } from '../../../packages/crypto/test/cctv.ts'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PROPERTY_RUNS, sized } from '../../../tools/test-support/profile.ts'
import { hkdf, openAgeNatively, prepareX25519Keys } from '../src/intake/native-age.ts'
import { createNativeOpener } from '../src/intake/native-opener.ts'
import { createSubmissionProcessor } from '../src/intake/submission-processor.ts'
import { readCodebook } from '../src/workspace/codebook-file.ts'

/**
 * T12: the analyst import path conforms to age. Every C2SP CCTV vector (npm cctv-age) for X25519
 * identities goes through the opener pull uses (the native path, with age-encryption behind it for
 * armor and other stanza types) and through the submission processor itself; typage-sealed files
 * round-trip through the native path, and any flipped byte or truncation is refused by both.
 */
const stranger = await generateX25519Identity()
// The import path holds X25519 identities only: vectors that need a passphrase or a post-quantum
// identity cannot be opened by it at all, and are covered by @amanat/crypto's own vector test.
const applicable = CCTV_VECTORS.filter((v) => v.identities.every((id) => id.startsWith('AGE-SECRET-KEY-1')) && !(v.identities.length === 0 && v.passphrases > 0))
const identitiesOf = (v: CctvVector) => (v.identities.length > 0 ? v.identities : [stranger])
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

describe('T12: the CCTV age vectors through the import path', () => {
  it('covers every kind of outcome, most of them on the native path', () => {
    const kinds = new Set(applicable.map((v) => v.expect))
    for (const kind of ['success', 'header failure', 'HMAC failure', 'payload failure', 'no match', 'armor failure']) expect(kinds).toContain(kind)
    const native = applicable.filter((v) => {
      try {
        return openAgeNatively(v.file, prepareX25519Keys(identitiesOf(v))).kind !== 'unsupported'
      } catch {
        return true
      }
    })
    expect(applicable.length).toBeGreaterThanOrEqual(90)
    expect(native.length).toBeGreaterThanOrEqual(60)
  })

  it.each(applicable.map((v) => [v.name, v] as const))('%s', async (_name, vector) => {
    const result = await createNativeOpener(identitiesOf(vector))(vector.file).then(
      (plaintext) => ({ plaintext }),
      (error: unknown) => ({ error }),
    )
    if (vector.expect === 'success') {
      if ('error' in result) throw result.error
      expect(sha256(result.plaintext)).toBe(vector.payload)
    } else {
      expect('error' in result && isAmanatError(result.error, 'crypto.undecryptable')).toBe(true)
    }
    // The processor pull runs never imports a refused file, and never calls an opened one undecryptable.
    const processed = await createSubmissionProcessor({ identities: identitiesOf(vector), backupIdentity: null, published: [], codebook: readCodebook(), codebooks: {} })({
      itemId: '0'.repeat(26),
      day: '2026-01-01',
      ciphertext: vector.file,
    })
    expect(processed).toEqual({ kind: 'set_aside', reason: vector.expect === 'success' ? 'malformed' : 'undecryptable' })
  })
})

const analyst = await generateX25519Identity()
const analystRecipient = await identityToRecipient(analyst)
const other = await generateX25519Identity()
const otherRecipient = await identityToRecipient(other)
const keys = prepareX25519Keys([analyst])

async function typageOpens(file: Uint8Array): Promise<boolean> {
  const decrypter = new Decrypter()
  decrypter.addIdentity(analyst)
  return decrypter.decrypt(file).then(
    () => true,
    () => false,
  )
}

function nativeOpens(file: Uint8Array): boolean {
  try {
    return openAgeNatively(file, keys).kind === 'opened'
  } catch (error) {
    if (isAmanatError(error, 'crypto.undecryptable')) return false
    throw error
  }
}

describe('the native age path against typage', () => {
  it('derives keys exactly as node:crypto HKDF-SHA-256 does, empty salt included (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.uint8Array({ maxLength: 130 }), fc.string({ maxLength: 40 }), (ikm, salt, info) => {
        expect(hkdf(ikm, salt, info).equals(Buffer.from(hkdfSync('sha256', ikm, salt, info, 32)))).toBe(true)
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })

  it('opens what typage seals, to any number of recipients, at any size around the chunk boundaries', async () => {
    const sizes = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(65535, 65536, 65537, 131072, 131073))
    await fc.assert(
      fc.asyncProperty(sizes, fc.boolean(), fc.integer({ min: 0, max: 255 }), async (size, twoRecipients, fill) => {
        const plaintext = new Uint8Array(size).fill(fill)
        const file = await sealBytes(plaintext, twoRecipients ? [otherRecipient, analystRecipient] : [analystRecipient])
        const opened = openAgeNatively(file, keys)
        expect(opened.kind).toBe('opened')
        expect(opened.kind === 'opened' && Buffer.compare(opened.plaintext, plaintext)).toBe(0)
      }),
      { numRuns: Math.min(PROPERTY_RUNS, 60) },
    )
  })

  it('refuses any flipped byte exactly when typage does (never partial plaintext)', async () => {
    const file = await sealBytes(new Uint8Array(70_000).fill(7), [analystRecipient])
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: file.length - 1 }), fc.integer({ min: 1, max: 255 }), async (index, mask) => {
        const copy = file.slice()
        copy[index] = (copy[index] ?? 0) ^ mask
        expect(nativeOpens(copy)).toBe(false)
        expect(await typageOpens(copy)).toBe(false)
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })

  it('refuses every truncation at the chunk boundaries and one byte either side, and any trailing data', async () => {
    const files = await Promise.all(Array.from({ length: sized(4, 50) }, (_, i) => sealBytes(new Uint8Array(3 * 65536 + i * 977).fill(i), [analystRecipient])))
    for (const file of files) {
      // The MAC line is the header's last; the payload's 16-byte nonce follows it.
      const headerEnd = file.indexOf(0x0a, Buffer.from(file).indexOf('\n---') + 1) + 1
      const payloadStart = headerEnd + 16
      const cuts = new Set<number>([0, 1, headerEnd - 1, headerEnd, payloadStart, payloadStart + 15, file.length - 1])
      for (let boundary = payloadStart; boundary < file.length; boundary += 65536 + 16) for (const d of [-1, 0, 1]) cuts.add(boundary + d)
      for (const cut of cuts) {
        if (cut < 0 || cut >= file.length) continue
        expect(nativeOpens(file.subarray(0, cut))).toBe(false)
        expect(await typageOpens(file.subarray(0, cut))).toBe(false)
      }
      for (const extra of [Uint8Array.of(0), new Uint8Array(16), new Uint8Array(65536 + 16)]) {
        const extended = new Uint8Array([...file, ...extra])
        expect(nativeOpens(extended)).toBe(false)
        expect(await typageOpens(extended)).toBe(false)
      }
      expect(nativeOpens(file)).toBe(true)
    }
  })

  it('refuses a file sealed to someone else, and a file with no stanza at all', async () => {
    expect(nativeOpens(await sealBytes(Uint8Array.of(1, 2, 3), [otherRecipient]))).toBe(false)
    expect(nativeOpens(new TextEncoder().encode('age-encryption.org/v1\n--- AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n'))).toBe(false)
  })
})
