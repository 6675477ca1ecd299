import { AmanatError } from '@amanat/domain'

/**
 * Padding before sealing, because age does not hide length (SECURITY-TESTS.md T23): a stored
 * ciphertext's size says only which bucket its plaintext fell in. Buckets are those of
 * docs/intake-protocol.md §2–3.
 */

const KiB = 1024
const MiB = 1024 * KiB

/** Sizes a submission's JSON is padded to, smallest first. */
export const SUBMISSION_BUCKETS: readonly number[] = [4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, MiB, 3 * MiB]

/** Attachments are padded to a power of two, and never below this (one age STREAM chunk). */
export const MIN_ATTACHMENT_BUCKET = 64 * KiB

/** The submission bucket `length` bytes go in, or null when it exceeds the largest. */
export function submissionBucket(length: number): number | null {
  return SUBMISSION_BUCKETS.find((bucket) => bucket >= length) ?? null
}

/** The power-of-two bucket (at least {@link MIN_ATTACHMENT_BUCKET}) `length` bytes go in. */
export function attachmentBucket(length: number): number {
  let bucket = MIN_ATTACHMENT_BUCKET
  while (bucket < length) bucket *= 2
  return bucket
}

/**
 * Pads UTF-8 JSON with ASCII spaces up to its bucket. JSON parsers skip trailing whitespace, so
 * `age -d | jq` reads the padded text unchanged.
 *
 * @throws AmanatError input `submission.too_large` when the text exceeds the largest bucket.
 */
export function padSubmission(json: Uint8Array): Uint8Array {
  const bucket = submissionBucket(json.length)
  if (bucket === null) {
    throw new AmanatError('input', 'submission.too_large', 'The answers are too long to send.', { length: json.length })
  }
  const out = new Uint8Array(bucket).fill(0x20)
  out.set(json)
  return out
}

/**
 * Pads attachment content with zero bytes up to its bucket. The real length travels inside the
 * submission, so {@link unpadAttachment} can cut the padding off again.
 */
export function padAttachment(content: Uint8Array): Uint8Array {
  const out = new Uint8Array(attachmentBucket(content.length))
  out.set(content)
  return out
}

/**
 * The content of a padded attachment, given the length recorded in the submission.
 *
 * @throws AmanatError integrity `attachment.bad_length` when the length does not fit the padded
 *   bytes or the padding is not all zero.
 */
export function unpadAttachment(padded: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > padded.length || padded.subarray(length).some((b) => b !== 0)) {
    throw new AmanatError('integrity', 'attachment.bad_length', 'The attachment does not match its recorded length.')
  }
  return padded.subarray(0, length)
}
