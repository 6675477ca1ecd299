import { createHash, randomBytes } from 'node:crypto'
import { isAmanatError } from '@amanat/domain'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PROPERTY_RUNS } from '../../../tools/test-support/profile.ts'
import { systemEntropy } from '../src/entropy.ts'
import { bodyAad, open, seal } from '../src/events/body-seal.ts'
import { eventHash, GENESIS_HASH, type ChainedFields } from '../src/events/hash-chain.ts'

/** The documented encoding, rebuilt byte by byte, so a change to eventHash cannot go unnoticed. */
function referenceHash(f: ChainedFields): string {
  const str = (s: string) => {
    const bytes = Buffer.from(s, 'utf8')
    const length = Buffer.alloc(4)
    length.writeUInt32BE(bytes.length)
    return Buffer.concat([length, bytes])
  }
  const seq = Buffer.alloc(8)
  seq.writeBigUInt64BE(BigInt(f.seq))
  const subject = f.subject === null ? Buffer.of(0) : Buffer.concat([Buffer.of(1), str(f.subject)])
  const parts = [
    Buffer.from('amanat/event/v1\n', 'ascii'),
    seq,
    str(f.id),
    str(f.kind),
    str(f.author),
    str(f.recordedAt),
    subject,
    createHash('sha256').update(f.body).digest(),
    Buffer.from(f.prevHash),
  ]
  return createHash('sha256').update(Buffer.concat(parts)).digest('hex')
}

const fieldsArb = fc.record({
  seq: fc.integer({ min: 1, max: 2 ** 40 }),
  id: fc.string({ minLength: 1, maxLength: 30 }),
  kind: fc.string({ minLength: 1, maxLength: 30 }),
  author: fc.string({ minLength: 1, maxLength: 30 }),
  recordedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  subject: fc.option(fc.string({ minLength: 1, maxLength: 30 }), { nil: null }),
  body: fc.uint8Array({ maxLength: 200 }),
  prevHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
})

describe('the event hash', () => {
  it('follows the documented encoding', () => {
    fc.assert(
      fc.property(fieldsArb, (f) => eventHash(f).toString('hex') === referenceHash(f)),
      { numRuns: PROPERTY_RUNS },
    )
  })

  it("matches a fixed vector (computed independently with Python's hashlib)", () => {
    const hash = eventHash({
      seq: 1,
      id: '0123456789abcdefghjkmnpqrs',
      kind: 'workspace.created',
      author: 'system',
      recordedAt: '2024-05-01T09:30:00.000Z',
      subject: null,
      body: Buffer.from('{"kind":"workspace.created","name":"w"}'),
      prevHash: GENESIS_HASH,
    })
    expect(hash.toString('hex')).toBe('e5509595bec54d43d87767885e7eb1c0a23f3a5b5e1d0e66ecaa8dd76c540adf')
  })

  it('changes when any covered field changes', () => {
    fc.assert(
      fc.property(fieldsArb, fieldsArb, (a, b) => {
        fc.pre(referenceHash(a) !== referenceHash(b))
        return !eventHash(a).equals(eventHash(b))
      }),
      { numRuns: PROPERTY_RUNS },
    )
    const base = {
      seq: 2,
      id: 'a',
      kind: 'k',
      author: 'x',
      recordedAt: 'r',
      subject: 'ab',
      body: Buffer.from('b'),
      prevHash: GENESIS_HASH,
    }
    // Length prefixes keep field boundaries: moving a character between fields changes the hash.
    expect(eventHash(base).equals(eventHash({ ...base, id: 'ak', kind: '' }))).toBe(false)
    expect(eventHash({ ...base, subject: null }).equals(eventHash({ ...base, subject: '' }))).toBe(false)
  })
})

describe('sealed bodies and keys', () => {
  const entropy = systemEntropy()

  it('open to what was sealed, and reject any changed byte, another event or another key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), (plain, at) => {
        const key = randomBytes(32)
        const aad = bodyAad('event-1', 'subject-1')
        const sealed = seal(key, plain, aad, entropy)
        expect(open(key, sealed, aad).equals(Buffer.from(plain))).toBe(true)
        const tampered = Buffer.from(sealed)
        const i = at % tampered.length
        tampered[i] = (tampered[i] ?? 0) ^ 0x80
        expect(() => open(key, tampered, aad)).toThrow()
        expect(() => open(key, sealed, bodyAad('event-2', 'subject-1'))).toThrow()
        expect(() => open(randomBytes(32), sealed, aad)).toThrow()
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })

  it('say workspace.corrupt when a body does not authenticate', () => {
    const key = randomBytes(32)
    const sealed = seal(key, Buffer.from('x'), bodyAad('e', 's'), entropy)
    try {
      open(key, sealed.subarray(0, 10), bodyAad('e', 's'))
      expect.unreachable()
    } catch (error) {
      expect(isAmanatError(error, 'workspace.corrupt')).toBe(true)
    }
  })

  it('never reuse a nonce between two seals', () => {
    const key = randomBytes(32)
    const nonces = new Set(
      Array.from({ length: 1000 }, () =>
        seal(key, Buffer.of(1), Buffer.of(), entropy).subarray(1, 13).toString('hex'),
      ),
    )
    expect(nonces.size).toBe(1000)
  })
})
