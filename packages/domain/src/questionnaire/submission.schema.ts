import { z } from 'zod'
import { QuestionnaireId, UploadId } from '../intake/wire.ts'
import { IsoDay, LanguageTag, Sha256Hex } from '../model/schema-helpers.ts'
import { Answers } from './answers.schema.ts'
import { QUESTION_LIMITS } from './question.schema.ts'
import { QuestionnaireVersion } from './questionnaire.schema.ts'

/** The format marker of a submission plaintext. */
export const SUBMISSION_FORMAT = 'amanat-submission/1'

/**
 * One attached file as the submission describes it (docs/intake-protocol.md §3): the sealed
 * upload that holds it, the SHA-256 and length of the real bytes (before padding), the padded
 * length, its media type, its file name (null when the page dropped it) and whether the
 * respondent chose to keep its metadata (EXIF/GPS/XMP).
 */
export const AttachmentRef = z
  .object({
    upload: UploadId,
    sha256: Sha256Hex,
    byteLength: z.number().int().min(0).max(QUESTION_LIMITS.attachmentBytes),
    paddedLength: z
      .number()
      .int()
      .min(0)
      .max(2 * QUESTION_LIMITS.attachmentBytes),
    mediaType: z
      .string()
      .regex(/^[a-z]+\/[a-z0-9.+-]+$/, { error: 'expected a media type such as image/jpeg' }),
    name: z.string().max(255).nullable(),
    metadataKept: z.boolean(),
  })
  .strict()
  .refine((a) => a.paddedLength >= a.byteLength, {
    error: 'the padded length is less than the length',
    path: ['paddedLength'],
  })
export type AttachmentRef = z.infer<typeof AttachmentRef>

/**
 * What the page seals (docs/intake-protocol.md §3): which questionnaire and version were answered,
 * in which language, the answers with hidden and blank ones removed, the attachments, and the day
 * it was sent (never finer than a day). Parse with this schema after decrypting; then
 * `validateSubmission` checks it against its questionnaire.
 */
export const SubmissionPlaintext = z
  .object({
    format: z.literal(SUBMISSION_FORMAT, { error: `expected format "${SUBMISSION_FORMAT}"` }),
    questionnaireId: QuestionnaireId,
    questionnaireVersion: QuestionnaireVersion,
    language: LanguageTag,
    answers: Answers,
    attachments: z
      .array(AttachmentRef)
      .max(QUESTION_LIMITS.attachmentFiles)
      .refine((list) => new Set(list.map((a) => a.upload)).size === list.length, {
        error: 'an upload is listed twice',
      }),
    submittedOn: IsoDay,
  })
  .strict()
export type SubmissionPlaintext = z.infer<typeof SubmissionPlaintext>
