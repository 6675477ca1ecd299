import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PROPERTY_RUNS } from '../../../tools/test-support/profile.ts'
import {
  decodeBase64Url,
  encodeBase64Url,
  fingerprintOf,
  formatFingerprint,
  isSigningPublicKey,
  normalizeFingerprint,
  verifyDocument,
  verifySignature,
} from '../src/index.ts'
import { signDocument } from '../src/open.ts'
import { expectThrows, unlockedKeySet } from './support.ts'

const { keys, signingKey } = await unlockedKeySet()
const other = (await unlockedKeySet()).signingKey

/** The Ed25519 group order L, to build the malleated signature (R, S + L). */
const L = 2n ** 252n + 27742317777372353535851937790883648493n

function flipBit(text: string, length: number, at: number): string {
  const bytes = decodeBase64Url(text, length)
  if (bytes === null) throw new Error('test fixture is not base64url')
  bytes[at % length] = (bytes[at % length] ?? 0) ^ 0x01
  return encodeBase64Url(bytes)
}

describe('signatures', () => {
  it('verify for the signed message and fail for any changed byte, signature bit or other key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(), fc.nat(), (message, at, sigAt) => {
        const signature = signingKey.sign(message)
        expect(signature).toMatch(/^[A-Za-z0-9_-]{86}$/)
        expect(verifySignature(signingKey.publicKey, message, signature)).toBe(true)
        if (message.length > 0) {
          const changed = message.slice()
          changed[at % message.length] = (changed[at % message.length] ?? 0) ^ 0x80
          expect(verifySignature(signingKey.publicKey, changed, signature)).toBe(false)
        }
        expect(verifySignature(signingKey.publicKey, message, flipBit(signature, 64, sigAt))).toBe(false)
        expect(verifySignature(other.publicKey, message, signature)).toBe(false)
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })

  it('returns false, never throws, for any garbage', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), (publicKey, message, signature) => {
        expect(verifySignature(publicKey, message, signature)).toBe(false)
      }),
      { numRuns: PROPERTY_RUNS },
    )
    const message = new Uint8Array([1, 2, 3])
    const signature = signingKey.sign(message)
    expect(verifySignature(signingKey.publicKey, message, signature)).toBe(true)
    for (const [publicKey, sig] of [
      [signingKey.publicKey, `${signature}=`],
      [signingKey.publicKey, signature.replace(/-/g, '+').replace(/_/g, '/')],
      [signingKey.publicKey, ` ${signature}`],
      [`${signingKey.publicKey}=`, signature],
      ['', signature],
      [signingKey.publicKey, ''],
    ] as const) {
      if (sig === signature && publicKey === signingKey.publicKey) continue
      expect(verifySignature(publicKey, message, sig)).toBe(false)
    }
  })

  it('refuses the malleated signature (R, S + L) that lenient verifiers accept', () => {
    const message = new TextEncoder().encode('questionnaire v3')
    const bytes = decodeBase64Url(signingKey.sign(message), 64)
    if (bytes === null) throw new Error('unreachable')
    let s = 0n
    for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(bytes[32 + i] ?? 0)
    let malleated = s + L
    for (let i = 0; i < 32; i++) {
      bytes[32 + i] = Number(malleated & 0xffn)
      malleated >>= 8n
    }
    expect(verifySignature(signingKey.publicKey, message, encodeBase64Url(bytes))).toBe(false)
  })

  it('signs with the key set’s public key', () => {
    expect(signingKey.publicKey).toBe(keys.signing.publicKey)
    expect(isSigningPublicKey(signingKey.publicKey)).toBe(true)
    expect(isSigningPublicKey('A'.repeat(43))).toBe(false) // y = 0: a point of small order
    expect(isSigningPublicKey(encodeBase64Url(new Uint8Array(32).fill(0xff)))).toBe(false) // not canonical
    expectThrows(() => signingKey.sign('text' as unknown as Uint8Array), 'usage', 'crypto.bad_message')
  })
})

describe('fingerprints', () => {
  /** An independent reading of the documented format: Crockford base32 of SHA-256[0..20]. */
  function referenceFingerprint(publicKey: string): string {
    const digest = createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest().subarray(0, 20)
    const alphabet = '0123456789abcdefghjkmnpqrstvwxyz'
    let bits = ''
    for (const byte of digest) bits += byte.toString(2).padStart(8, '0')
    return (
      bits
        .match(/.{5}/g)
        ?.map((group) => alphabet[parseInt(group, 2)])
        .join('') ?? ''
    )
  }

  it('are 32 Crockford base32 characters of SHA-256 over the public key', () => {
    expect(keys.signing.fingerprint).toBe(fingerprintOf(keys.signing.publicKey))
    expect(keys.signing.fingerprint).toMatch(/^[0-9a-hjkmnp-tv-z]{32}$/)
    expect(keys.signing.fingerprint).toBe(referenceFingerprint(keys.signing.publicKey))
    expect(signingKey.fingerprint).toBe(keys.signing.fingerprint)
    expect(other.fingerprint).not.toBe(keys.signing.fingerprint)
  })

  it('read back from typed forms: hyphen groups, upper case, spaces, o/i/l look-alikes', () => {
    const fingerprint = keys.signing.fingerprint
    const formatted = formatFingerprint(fingerprint)
    expect(formatted).toMatch(/^([0-9a-hjkmnp-tv-z]{4}-){7}[0-9a-hjkmnp-tv-z]{4}$/)
    expect(normalizeFingerprint(formatted)).toBe(fingerprint)
    expect(normalizeFingerprint(formatted.toUpperCase().replace(/-/g, ' '))).toBe(fingerprint)
    const lookalike = fingerprint.replace(/0/g, 'O').replace(/1/g, 'l')
    expect(normalizeFingerprint(lookalike)).toBe(fingerprint)
  })

  it('refuse wrong lengths and letters outside the alphabet', () => {
    const fingerprint = keys.signing.fingerprint
    for (const typed of [fingerprint.slice(1), `${fingerprint}a`, `u${fingerprint.slice(1)}`, '', 42, null]) {
      expect(normalizeFingerprint(typed)).toBeNull()
    }
    expectThrows(() => formatFingerprint('short'), 'input', 'crypto.bad_fingerprint')
    expectThrows(() => fingerprintOf('not a key'), 'input', 'crypto.bad_public_key')
  })
})

describe('signed documents', () => {
  const questionnaire = {
    id: 'q-2026-01',
    questions: [{ id: 'q1', kind: 'text' }],
    recipients: ['age1example'],
  }

  it('verify whatever order the keys were built in', () => {
    const signature = signDocument(signingKey, 'amanat/questionnaire/v1', questionnaire)
    const reordered = {
      recipients: ['age1example'],
      questions: [{ kind: 'text', id: 'q1' }],
      id: 'q-2026-01',
    }
    expect(verifyDocument(keys.signing.publicKey, 'amanat/questionnaire/v1', reordered, signature)).toBe(true)
  })

  it('fail for a changed value, another context or another key', () => {
    const signature = signDocument(signingKey, 'amanat/questionnaire/v1', questionnaire)
    const swapped = { ...questionnaire, recipients: ['age1attacker'] }
    expect(verifyDocument(keys.signing.publicKey, 'amanat/questionnaire/v1', swapped, signature)).toBe(false)
    expect(
      verifyDocument(keys.signing.publicKey, 'amanat/dossier-manifest/v1', questionnaire, signature),
    ).toBe(false)
    expect(verifyDocument(other.publicKey, 'amanat/questionnaire/v1', questionnaire, signature)).toBe(false)
    expect(
      verifyDocument(keys.signing.publicKey, 'amanat/questionnaire/v1', { bad: undefined }, signature),
    ).toBe(false)
  })

  it('sign the documented bytes: context, line feed, canonical JSON', () => {
    const signature = signDocument(signingKey, 'amanat/test/v1', { b: 1, a: [true, null] })
    const bytes = new TextEncoder().encode('amanat/test/v1\n{"a":[true,null],"b":1}')
    expect(verifySignature(keys.signing.publicKey, bytes, signature)).toBe(true)
  })

  it('refuse a malformed context', () => {
    for (const context of ['', 'Amanat', 'a\nb', 'a b', 'x'.repeat(65)]) {
      expectThrows(() => signDocument(signingKey, context, {}), 'usage', 'crypto.bad_context')
    }
  })
})
