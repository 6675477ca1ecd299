import { createHash } from 'node:crypto'
import { CCTV_VECTORS } from './cctv.ts'
import { describe, expect, it } from 'vitest'
import { isAmanatError } from '@amanat/domain'
import { openBytes } from '../src/open.ts'
import { party } from './support.ts'

/**
 * The community age test vectors (C2SP CCTV, npm `cctv-age`) run through openBytes. openBytes
 * opens binary files for X25519 identities only, so armored vectors and vectors whose only keys
 * are passphrases are out of scope; vectors for post-quantum identities must be refused at the
 * identity. Every other vector must open to exactly its payload when it says `success` and be
 * refused with crypto.undecryptable otherwise (openBytes never releases partial plaintext, so a
 * `payload failure` releases nothing).
 */
const parsed = CCTV_VECTORS
const binary = parsed.filter((v) => !v.armored && (v.identities.length > 0 || v.passphrases === 0))
const x25519 = binary.filter((v) => v.identities.every((identity) => identity.startsWith('AGE-SECRET-KEY-1')))
const postQuantum = binary.filter((v) =>
  v.identities.some((identity) => identity.startsWith('AGE-SECRET-KEY-PQ-1')),
)
const stranger = await party()

describe('C2SP age test vectors through openBytes', () => {
  it('covers the X25519 success, header, HMAC, payload and no-match vectors', () => {
    const kinds = new Set(x25519.map((v) => v.expect))
    for (const kind of ['success', 'header failure', 'HMAC failure', 'payload failure', 'no match'])
      expect(kinds).toContain(kind)
    expect(x25519.length).toBeGreaterThanOrEqual(60)
  })

  it.each(x25519.map((v) => [v.name, v] as const))('%s', async (_name, vector) => {
    const identities = vector.identities.length > 0 ? vector.identities : [stranger.identity]
    const result = await openBytes(vector.file, identities).then(
      (plaintext) => ({ plaintext }),
      (error: unknown) => ({ error }),
    )
    if (vector.expect === 'success') {
      if ('error' in result) throw result.error
      expect(createHash('sha256').update(result.plaintext).digest('hex')).toBe(vector.payload)
    } else {
      expect('error' in result && isAmanatError(result.error, 'crypto.undecryptable')).toBe(true)
    }
  })

  it('refuses the identities of post-quantum vectors', async () => {
    expect(postQuantum.length).toBeGreaterThan(0)
    for (const vector of postQuantum) {
      const error: unknown = await openBytes(vector.file, vector.identities).catch((e: unknown) => e)
      expect(isAmanatError(error, 'crypto.bad_identity')).toBe(true)
    }
  })
})
