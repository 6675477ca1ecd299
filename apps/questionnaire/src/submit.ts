import { base32, SubmissionId, type InviteToken, type SubmissionHeader } from '@amanat/domain'
import { backoffDelay, DEFAULT_RETRY, framedBody, postOnce, unreachable, type RetryPolicy, type Transport } from './transport.ts'
import { SEALED_CONTENT_TYPE } from './upload.ts'

/**
 * Sending the sealed submission (docs/intake-protocol.md §3.4). The page draws one 128-bit id per
 * submission and sends the same id with the same sealed bytes on every retry, so the server can
 * tell a retry (stored once) from a second, different submission on the same token (quarantined).
 */

/** A fresh submission id: 128 bits from the platform CSPRNG, no time, no counter (T23). */
export function newSubmissionId(): SubmissionId {
  const bytes = new Uint8Array(16)
  globalThis.crypto.getRandomValues(bytes)
  return SubmissionId.parse(base32(bytes))
}

/**
 * POSTs the sealed submission with retries and resolves once the server acknowledged it (it
 * answers the same whatever it did with it: the page learns nothing more, and shows nothing more).
 *
 * @throws AmanatError input `send.unreachable` after `retry.attempts` failures in a row: call again
 *   later with the same id and bytes; input `send.refused` when the server refuses the body for good.
 */
export async function sendSubmission(
  sealed: Uint8Array,
  header: { readonly token: InviteToken; readonly id: SubmissionId },
  transport: Transport,
  retry: RetryPolicy = DEFAULT_RETRY,
): Promise<void> {
  const line: SubmissionHeader = { v: 1, token: header.token, id: header.id }
  const body = framedBody(line, sealed)
  for (let failures = 1; ; failures++) {
    // Credentialed so that the acknowledgement's Clear-Site-Data takes effect (see postOnce).
    if (await postOnce(transport, '/api/submissions', body, SEALED_CONTENT_TYPE, 'same-origin')) return
    if (failures >= retry.attempts) throw unreachable()
    await transport.sleep(backoffDelay(retry, failures))
  }
}
