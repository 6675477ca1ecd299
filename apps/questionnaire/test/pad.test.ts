import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PROPERTY_RUNS } from '../../../tools/test-support/profile.ts'
import {
  attachmentBucket,
  MIN_ATTACHMENT_BUCKET,
  padAttachment,
  padSubmission,
  SUBMISSION_BUCKETS,
  submissionBucket,
  unpadAttachment,
} from '../src/pad.ts'

const MiB = 1024 * 1024

describe('padSubmission', () => {
  it('pads JSON with spaces to the smallest bucket that holds it, and JSON.parse still reads it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const json = new TextEncoder().encode(JSON.stringify(value) ?? 'null')
        const padded = padSubmission(json)
        expect(SUBMISSION_BUCKETS).toContain(padded.length)
        const smaller = SUBMISSION_BUCKETS.filter((b) => b < padded.length)
        expect(smaller.every((b) => b < json.length)).toBe(true)
        expect(JSON.parse(new TextDecoder().decode(padded))).toEqual(JSON.parse(new TextDecoder().decode(json)))
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })

  it('uses exactly the protocol buckets: 4, 16, 64, 256 KiB, 1 and 3 MiB', () => {
    expect(SUBMISSION_BUCKETS).toEqual([4096, 16384, 65536, 262144, MiB, 3 * MiB])
    expect(submissionBucket(0)).toBe(4096)
    expect(submissionBucket(4096)).toBe(4096)
    expect(submissionBucket(4097)).toBe(16384)
    expect(submissionBucket(3 * MiB)).toBe(3 * MiB)
    expect(submissionBucket(3 * MiB + 1)).toBeNull()
  })

  it('refuses text over the largest bucket', () => {
    expect(() => padSubmission(new Uint8Array(3 * MiB + 1))).toThrow(expect.objectContaining({ code: 'submission.too_large' }))
  })
})

describe('padAttachment', () => {
  it('pads with zeros to a power of two of at least 64 KiB, and unpads to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200_000 }), (content) => {
        const padded = padAttachment(content)
        expect(padded.length).toBe(attachmentBucket(content.length))
        expect(Math.log2(padded.length) % 1).toBe(0)
        expect(padded.length).toBeGreaterThanOrEqual(Math.max(MIN_ATTACHMENT_BUCKET, content.length))
        expect(padded.length < 2 * content.length || padded.length === MIN_ATTACHMENT_BUCKET).toBe(true)
        expect(unpadAttachment(padded, content.length)).toEqual(content)
      }),
      { numRuns: PROPERTY_RUNS },
    )
    expect(attachmentBucket(25 * MiB)).toBe(32 * MiB)
  })

  it('unpadding refuses a length that does not fit or non-zero padding', () => {
    const padded = padAttachment(Uint8Array.of(1, 2, 3))
    expect(() => unpadAttachment(padded, padded.length + 1)).toThrow(expect.objectContaining({ code: 'attachment.bad_length' }))
    expect(() => unpadAttachment(padded, 2)).toThrow(expect.objectContaining({ code: 'attachment.bad_length' }))
  })
})
