import { AmanatError } from '@amanat/domain'
import { sealBytes } from '@amanat/crypto'
import { padAttachment, padSubmission } from './pad.ts'

/**
 * Sealing in the page: pad, then age-encrypt to every recipient of the verified questionnaire
 * (X25519 only, checked again by `sealBytes`). The result is what the server stores; only the
 * analysts' and the backup identities open it, with Amanat or with the standard `age` command.
 */

/**
 * Seals a submission's JSON text: checks the limit on the unpadded bytes, pads with spaces to its
 * size bucket, seals.
 *
 * @throws AmanatError input `submission.too_large` (details: length, limit) when the UTF-8 text
 *   exceeds `limitBytes`; input `crypto.bad_recipient` for a bad recipient list.
 */
export async function sealSubmissionText(json: string, recipients: readonly string[], limitBytes: number): Promise<Uint8Array> {
  const bytes = new TextEncoder().encode(json)
  if (bytes.length > limitBytes) {
    throw new AmanatError('input', 'submission.too_large', 'The answers are too long to send.', {
      length: bytes.length,
      limit: limitBytes,
    })
  }
  return sealBytes(padSubmission(bytes), recipients)
}

/**
 * Seals one attachment's content (already cleaned, or kept as is with consent), padded with zero
 * bytes to its power-of-two bucket. The real length goes into the submission.
 *
 * @throws AmanatError input `crypto.bad_recipient` for a bad recipient list.
 */
export function sealAttachmentContent(content: Uint8Array, recipients: readonly string[]): Promise<Uint8Array> {
  return sealBytes(padAttachment(content), recipients)
}
