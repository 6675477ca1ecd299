import {
  forEachAttachmentAnswer,
  pruneAnswers,
  SUBMISSION_FORMAT,
  type AttachmentRef,
  type Questionnaire,
  type SubmissionPlaintext,
} from '@amanat/domain'
import { attachmentBucket } from './pad.ts'
import { contentOf, metadataKept, type AnswerMemory, type HeldFile } from './state.ts'

/**
 * The plaintext the page seals (`SubmissionPlaintext`, docs/intake-protocol.md §3.3): only answers
 * the respondent can see (hidden and blank ones pruned), the files those answers reference, and
 * everything that says something about the respondent (language, file names, the keep-metadata
 * choice) inside, never beside, the ciphertext.
 */

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** The held files the pruned answers reference, in answer order. */
export function referencedFiles(questionnaire: Questionnaire, memory: AnswerMemory): HeldFile[] {
  const answers = pruneAnswers(questionnaire, memory.current)
  const files: HeldFile[] = []
  forEachAttachmentAnswer(questionnaire, answers, (uploads) => {
    for (const upload of uploads) {
      const file = memory.files.get(upload)
      if (file !== undefined && !files.includes(file)) files.push(file)
    }
  })
  return files
}

/** One file's reference: its upload, the SHA-256 and length of the content before padding. */
export async function attachmentRef(file: HeldFile): Promise<AttachmentRef> {
  const content = contentOf(file)
  return {
    upload: file.upload,
    sha256: await sha256Hex(content),
    byteLength: content.length,
    paddedLength: attachmentBucket(content.length),
    mediaType: file.mediaType,
    name: file.name === '' ? null : file.name,
    metadataKept: metadataKept(file),
  }
}

/**
 * Builds the submission plaintext from the page's memory.
 *
 * @param submittedOn - today's date as `YYYY-MM-DD` (a day, never a time).
 */
export async function buildPlaintext(
  questionnaire: Questionnaire,
  memory: AnswerMemory,
  language: string,
  submittedOn: string,
): Promise<SubmissionPlaintext> {
  const answers = pruneAnswers(questionnaire, memory.current)
  const attachments: AttachmentRef[] = []
  for (const file of referencedFiles(questionnaire, memory)) attachments.push(await attachmentRef(file))
  return {
    format: SUBMISSION_FORMAT,
    questionnaireId: questionnaire.id,
    questionnaireVersion: questionnaire.version,
    language,
    answers,
    attachments,
    submittedOn,
  }
}

/** Today in UTC as `YYYY-MM-DD`. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10)
}
