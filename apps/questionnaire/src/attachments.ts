import { AmanatError, base32, mediaTypeMatches, UploadId, type Question } from '@amanat/domain'
import type { Limits } from './limits.ts'
import type { HeldFile } from './state.ts'
import { stripImageMetadata, type Cleaning } from './strip-metadata.ts'

/**
 * Taking a file into the page: refused at once, with a reason the page can put into words, when
 * it is too large, one too many, of a type the question does not take, or a pixel flood; else read
 * into memory and cleaned (or marked as needing the respondent's consent to be sent as it is).
 */

/** A file as the browser's file input gives it (a `File`); tests pass their own. */
export interface PickedFile {
  readonly name: string
  readonly type: string
  readonly size: number
  arrayBuffer(): Promise<ArrayBuffer>
}

export type AttachmentQuestion = Extract<Question, { kind: 'attachment' }>

/** Why a file was not taken, with the numbers the message needs. */
export type FileRefusal =
  | { readonly kind: 'too_large'; readonly size: number; readonly limit: number }
  | { readonly kind: 'too_many'; readonly max: number }
  | { readonly kind: 'type' }
  | { readonly kind: 'too_many_pixels' }

/** How many files are held now: for this question, and in the whole submission. */
export interface HeldCounts {
  readonly question: number
  readonly total: number
}

/** A fresh random upload id (128 bits, no time, no counter). */
export function newUploadId(): UploadId {
  const bytes = new Uint8Array(16)
  globalThis.crypto.getRandomValues(bytes)
  return UploadId.parse(base32(bytes))
}

/** A declared media type reduced to what a submission may carry, or a neutral one. */
function declaredType(type: string): string {
  const lower = type.toLowerCase().split(';')[0]?.trim() ?? ''
  return /^[a-z]+\/[a-z0-9.+-]+$/.test(lower) ? lower : 'application/octet-stream'
}

/**
 * Checks and reads one picked file for an attachment question. The limits are the smaller of the
 * page's and the question's, and apply to the file as picked (before cleaning and padding). The
 * type is what the bytes are (a JPEG named .png is a JPEG), or the declared type for files this
 * page cannot clean.
 */
export async function holdFile(
  picked: PickedFile,
  question: AttachmentQuestion,
  limits: Limits,
  counts: HeldCounts,
): Promise<HeldFile | FileRefusal> {
  const maxFiles = Math.min(question.maxFiles, limits.attachments - (counts.total - counts.question))
  if (counts.question >= maxFiles) return { kind: 'too_many', max: Math.min(question.maxFiles, limits.attachments) }
  const limit = Math.min(question.maxBytes, limits.attachmentBytes)
  if (picked.size > limit) return { kind: 'too_large', size: picked.size, limit }
  const original = new Uint8Array(await picked.arrayBuffer())
  if (original.length > limit) return { kind: 'too_large', size: original.length, limit }

  let cleaning: Cleaning
  try {
    cleaning = stripImageMetadata(original)
  } catch (error) {
    if (error instanceof AmanatError && error.code === 'attachment.too_many_pixels') return { kind: 'too_many_pixels' }
    // A damaged image cannot be cleaned; the respondent may still send it as it is, knowingly.
    cleaning = { kind: 'not_cleanable' }
  }
  const mediaType = cleaning.kind === 'cleaned' ? cleaning.mediaType : declaredType(picked.type)
  if (!question.accept.some((pattern) => mediaTypeMatches(pattern, mediaType))) return { kind: 'type' }
  return {
    upload: newUploadId(),
    name: picked.name.slice(0, 255),
    original,
    cleaning,
    mediaType,
    keepMetadata: false,
    consentAsIs: false,
  }
}

/** True when `value` is a refusal rather than a held file. */
export function isRefusal(value: HeldFile | FileRefusal): value is FileRefusal {
  return 'kind' in value
}
