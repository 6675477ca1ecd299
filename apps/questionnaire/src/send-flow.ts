import type { InviteToken } from '@amanat/domain'
import type { Limits } from './limits.ts'
import { buildPlaintext, referencedFiles, today } from './plaintext.ts'
import { sealAttachmentContent, sealSubmissionText } from './seal.ts'
import { contentOf, type AnswerMemory } from './state.ts'
import { newSubmissionId, sendSubmission } from './submit.ts'
import type { RetryPolicy, Transport } from './transport.ts'
import { uploadSealedFile } from './upload.ts'
import type { VerifiedQuestionnaire } from './verify.ts'

/**
 * The whole send, from answers in memory to an acknowledged submission: attachments first (each
 * sealed once, uploaded in resumable chunks), then the submission that references them (sealed
 * once, sent under one id). Everything sealed is kept in the memory's send attempt, so calling
 * {@link sendAnswers} again after a failure resends the same bytes under the same ids and resumes
 * uploads where they stopped.
 */

/** What the page shows while sending. */
export type SendStep =
  | { readonly kind: 'file'; readonly n: number; readonly total: number }
  | { readonly kind: 'submission' }

export interface SendOptions {
  readonly verified: VerifiedQuestionnaire
  readonly memory: AnswerMemory
  readonly language: string
  readonly token: InviteToken
  readonly limits: Limits
  readonly transport: Transport
  readonly retry?: RetryPolicy
  readonly onStep?: (step: SendStep) => void
  readonly now?: () => Date
}

/**
 * Seals and sends. Resolves when the server acknowledged the submission; the caller then clears
 * the memory and thanks the respondent.
 *
 * @throws AmanatError input `submission.too_large` (answers over the limit: nothing was sent of the
 *   submission; the respondent must shorten it), input `send.unreachable` (try again later: call
 *   again), input `send.refused`, input `crypto.bad_recipient`.
 */
export async function sendAnswers(options: SendOptions): Promise<void> {
  const { verified, memory, transport } = options
  const retryOption = options.retry === undefined ? {} : { retry: options.retry }
  memory.attempt ??= { id: newSubmissionId(), sealedSubmission: null, sealedFiles: new Map(), uploaded: new Set(), tried: new Set() }
  const attempt = memory.attempt

  // Seal the text first: an over-long answer is refused before any file is uploaded.
  if (attempt.sealedSubmission === null) {
    const plaintext = await buildPlaintext(verified.questionnaire, memory, options.language, today(options.now?.()))
    attempt.sealedSubmission = await sealSubmissionText(JSON.stringify(plaintext), verified.recipients, options.limits.submissionBytes)
  }

  const files = referencedFiles(verified.questionnaire, memory)
  for (const [k, file] of files.entries()) {
    if (attempt.uploaded.has(file.upload)) continue
    options.onStep?.({ kind: 'file', n: k + 1, total: files.length })
    let sealed = attempt.sealedFiles.get(file.upload)
    if (sealed === undefined) {
      sealed = await sealAttachmentContent(contentOf(file), verified.recipients)
      attempt.sealedFiles.set(file.upload, sealed)
    }
    const resume = attempt.tried.has(file.upload)
    attempt.tried.add(file.upload)
    await uploadSealedFile(sealed, { token: options.token, upload: file.upload }, transport, { ...retryOption, resume })
    attempt.uploaded.add(file.upload)
    // Five 25 MiB files sealed and held at once would strain a cheap phone: drop each once it is sent.
    sealed.fill(0)
    attempt.sealedFiles.delete(file.upload)
  }

  options.onStep?.({ kind: 'submission' })
  await sendSubmission(attempt.sealedSubmission, { token: options.token, id: attempt.id }, transport, options.retry)
}
