import { SUBMISSION_BUCKETS } from './pad.ts'

/**
 * Size limits the page enforces before anything is sealed or sent, so a respondent learns at
 * once, in words, that a file is too large, instead of after a long upload. Limits apply to the
 * content before padding. The intake server enforces its own limits on what arrives.
 */
export interface Limits {
  /** Largest submission JSON (answers and attachment references), in bytes. */
  readonly submissionBytes: number
  /** Most attachments in one submission. */
  readonly attachments: number
  /** Largest single attachment, in bytes. */
  readonly attachmentBytes: number
}

const MiB = 1024 * 1024

/** The defaults: 2 MiB of answers, five attachments of 25 MiB. */
export const DEFAULT_LIMITS: Limits = Object.freeze({ submissionBytes: 2 * MiB, attachments: 5, attachmentBytes: 25 * MiB })

const LARGEST_BUCKET = SUBMISSION_BUCKETS[SUBMISSION_BUCKETS.length - 1] ?? 0

/**
 * Limits from the page's `<meta name="amanat-limits" content="submissionBytes=…,attachments=…,
 * attachmentBytes=…">` (written at build time), each falling back to its default when absent or
 * not a positive whole number. The submission limit never exceeds the largest padding bucket.
 */
export function parseLimits(content: string | null | undefined): Limits {
  const values = new Map<string, number>()
  for (const pair of (content ?? '').split(',')) {
    const [key, value] = pair.split('=').map((s) => s.trim())
    const number = Number(value)
    if (key !== undefined && Number.isSafeInteger(number) && number > 0) values.set(key, number)
  }
  return Object.freeze({
    submissionBytes: Math.min(values.get('submissionBytes') ?? DEFAULT_LIMITS.submissionBytes, LARGEST_BUCKET),
    attachments: values.get('attachments') ?? DEFAULT_LIMITS.attachments,
    attachmentBytes: values.get('attachmentBytes') ?? DEFAULT_LIMITS.attachmentBytes,
  })
}

/** Writes limits in the form {@link parseLimits} reads. */
export function formatLimits(limits: Limits): string {
  return `submissionBytes=${limits.submissionBytes},attachments=${limits.attachments},attachmentBytes=${limits.attachmentBytes}`
}
