import { EventPreparer, systemEntropy, type PreparedEvent } from '@amanat/database'
import {
  base32,
  isAmanatError,
  mapSubmission,
  type IdMaker,
  SubmissionId,
  SubmissionPlaintext,
  type AttachmentRef,
  type Codebook,
  type Questionnaire,
  type SetAsideReason,
  type TestimonyImportedBody,
} from '@amanat/domain'
import { parseAgeHeader } from './age-header.ts'
import { createNativeOpener } from './native-opener.ts'

/**
 * Turning one pulled, hash-checked submission into what the workspace records: open it (native
 * age path), check it was sealed to a recipient set its questionnaire was published with, parse
 * the `SubmissionPlaintext`, map it to a `testimony.imported` body, and prepare that event for
 * the store (parsed, serialised and sealed under a new data key: docs/decisions/0019), so the
 * thread that writes only chains and stores it. Pure apart from the ids and keys it draws, so it
 * runs the same inline and in the worker pool (processor-pool.ts).
 */

/** A questionnaire as published, with the size of each recipient set it was published with. */
export interface PublishedQuestionnaire {
  readonly questionnaire: Questionnaire
  readonly recipientCounts: readonly number[]
}

/** What a processor is built from; plain data, so it can be sent to a worker. */
export interface ProcessorSetup {
  /** The workspace's X25519 identities (`AGE-SECRET-KEY-1…`). */
  readonly identities: readonly string[]
  /** The offline backup identity, when the analyst asked every submission to be checked against it. */
  readonly backupIdentity: string | null
  readonly published: readonly PublishedQuestionnaire[]
  /** The workspace's current codebook, for a questionnaire written for a version it does not hold. */
  readonly codebook: Codebook
  /**
   * Every version the workspace holds, by `id@version`: a submission is coded under the version its
   * questionnaire was written for (`mapSubmission`), and its codes are read against that version,
   * even after a recode has moved the workspace on.
   */
  readonly codebooks: Readonly<Record<string, Codebook>>
}

/** One item to process. */
export interface SubmissionTask {
  /** The server's item id (128 random bits); it keys the respondent (`S-` + its first 8 characters). */
  readonly itemId: string
  /** The day the server received it. */
  readonly day: string
  readonly ciphertext: Uint8Array
}

export type ProcessedSubmission =
  | {
      readonly kind: 'mapped'
      /** The `testimony.imported` event, prepared: hand it to `appendBatch`, or wipe it (`wipePrepared`). */
      readonly event: PreparedEvent
      readonly respondentId: TestimonyImportedBody['respondent']['id']
      readonly testimonyId: TestimonyImportedBody['testimony']['id']
      readonly attachments: readonly AttachmentRef[]
    }
  | { readonly kind: 'set_aside'; readonly reason: SetAsideReason }

export type SubmissionProcessor = (task: SubmissionTask) => Promise<ProcessedSubmission>

const setAside = (reason: SetAsideReason): ProcessedSubmission => ({ kind: 'set_aside', reason })

/** Builds the processor for `setup`. Throws as `createNativeOpener` for bad identities. */
export function createSubmissionProcessor(setup: ProcessorSetup): SubmissionProcessor {
  // Ids from the CSPRNG drawn in chunks: one system call per id cost a quarter of the mapping.
  const entropy = systemEntropy()
  const makeId: IdMaker = (schema) => schema.parse(base32(entropy(16)))
  const preparer = new EventPreparer(entropy)
  const open = createNativeOpener(setup.identities)
  const openWithBackup = setup.backupIdentity === null ? null : createNativeOpener([setup.backupIdentity])
  const byVersion = new Map(setup.published.map((p) => [`${p.questionnaire.id}@${p.questionnaire.version}`, p]))
  const countsById = new Map<string, Set<number>>()
  for (const p of setup.published) {
    const counts = countsById.get(p.questionnaire.id) ?? new Set<number>()
    for (const count of p.recipientCounts) counts.add(count)
    countsById.set(p.questionnaire.id, counts)
  }

  return async (task) => {
    let plaintext: Uint8Array
    try {
      plaintext = await open(task.ciphertext)
    } catch (error) {
      if (isAmanatError(error, 'crypto.undecryptable')) return setAside('undecryptable')
      throw error
    }
    try {
      let json: unknown
      try {
        json = JSON.parse(Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.length).toString('utf8'))
      } catch {
        return setAside('malformed')
      }
      const parsed = SubmissionPlaintext.safeParse(json)
      if (!parsed.success) return setAside('malformed')
      const submission = parsed.data
      const stanzas = parseAgeHeader(task.ciphertext)?.stanzas.length ?? 0
      const counts = countsById.get(submission.questionnaireId)
      if (counts === undefined) return setAside('unknown_questionnaire')
      if (!counts.has(stanzas)) return setAside('recipients_mismatch')
      if (openWithBackup !== null) {
        const ok = await openWithBackup(task.ciphertext).then(
          (copy) => (copy.fill(0), true),
          () => false,
        )
        if (!ok) return setAside('backup_cannot_open')
      }
      const published = byVersion.get(`${submission.questionnaireId}@${submission.questionnaireVersion}`)
      if (published === undefined) return setAside('unknown_questionnaire')
      const submissionId = SubmissionId.safeParse(task.itemId)
      if (!submissionId.success) return setAside('malformed')
      try {
        const codebook = setup.codebooks[published.questionnaire.codebook] ?? setup.codebook
        const body = mapSubmission(published.questionnaire, submission, { submissionId: submissionId.data, makeId }, codebook, task.day)
        // mapSubmission's output is already parsed with the event schema (its last step).
        const [event] = preparer.prepareParsed([body])
        if (event === undefined) throw new Error('a prepared event went missing')
        return { kind: 'mapped', event, respondentId: body.respondent.id, testimonyId: body.testimony.id, attachments: submission.attachments }
      } catch (error) {
        if (isAmanatError(error, 'submission.invalid')) return setAside('invalid')
        throw error
      }
    } finally {
      plaintext.fill(0)
    }
  }
}
