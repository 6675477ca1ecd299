import { sealedSize } from './age-header.ts'

/**
 * Size limits. The configured limits apply to what the respondent wrote or attached, before the
 * page pads it (docs/intake-protocol.md §3); the byte limits the server enforces are derived from
 * them so that every padded, sealed size the page can produce fits.
 */

const KiB = 1024
const MiB = 1024 * KiB

/** The page's size buckets for a submission's plaintext (docs/intake-protocol.md §3). */
export const TEXT_BUCKETS = [4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, 1 * MiB, 3 * MiB] as const

/** Attachments are sent in chunks of this many bytes of the sealed file; the last may be shorter. */
export const CHUNK_BYTES = 1 * MiB

/** Room for the JSON header line in front of a sealed body. */
export const FRAME_HEADER_BYTES = 512

/** What an operator configures. */
export interface IntakeLimits {
  /** The largest submission text, before padding. Default 2 MiB. */
  readonly textBytes: number
  /** Attachments per submission. Default 5. */
  readonly attachments: number
  /** The largest attachment, before padding. Default 25 MiB. */
  readonly attachmentBytes: number
  /** The most recipients (X25519 stanzas) a sealed file may have. Default 32. */
  readonly maxRecipients: number
}

export const DEFAULT_LIMITS: IntakeLimits = {
  textBytes: 2 * MiB,
  attachments: 5,
  attachmentBytes: 25 * MiB,
  maxRecipients: 32,
}

/** The padded size of a submission plaintext of `bytes` (beyond the last bucket: whole MiB). */
export function textBucket(bytes: number): number {
  for (const bucket of TEXT_BUCKETS) if (bytes <= bucket) return bucket
  return Math.ceil(bytes / MiB) * MiB
}

/** The padded size of an attachment of `bytes`: the next power of two (at least 1 KiB). */
export function attachmentBucket(bytes: number): number {
  let bucket = KiB
  while (bucket < bytes) bucket *= 2
  return bucket
}

/** The byte limits the routes enforce, derived from {@link IntakeLimits}. */
export interface ByteLimits {
  /** The largest sealed submission (an age file). */
  readonly sealedSubmission: number
  /** The largest submission POST body: header line, newline, age file. */
  readonly submissionBody: number
  /** The largest chunk POST body. */
  readonly chunkBody: number
  /** The most chunks one upload may have. */
  readonly chunksPerUpload: number
  /** Uploads one invite may start: twice the attachments, so a page that restarts is not stuck. */
  readonly uploadsPerInvite: number
  readonly maxRecipients: number
}

/** Derives the byte limits from the configured ones. */
export function byteLimits(limits: IntakeLimits): ByteLimits {
  const sealedSubmission = sealedSize(textBucket(limits.textBytes), limits.maxRecipients)
  const sealedAttachment = sealedSize(attachmentBucket(limits.attachmentBytes), limits.maxRecipients)
  return {
    sealedSubmission,
    submissionBody: FRAME_HEADER_BYTES + sealedSubmission,
    chunkBody: FRAME_HEADER_BYTES + CHUNK_BYTES,
    chunksPerUpload: Math.ceil(sealedAttachment / CHUNK_BYTES),
    uploadsPerInvite: 2 * limits.attachments,
    maxRecipients: limits.maxRecipients,
  }
}
