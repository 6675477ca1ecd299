import {
  Answers,
  inputError,
  IsoDay,
  LanguageTag,
  mapSubmission,
  newId,
  Place,
  RespondentKey,
  SUBMISSION_FORMAT,
  SubmissionId,
  type Questionnaire,
  type TestimonyImportedBody,
} from '@amanat/domain'
import { z } from 'zod'
import { publications } from '../intake/intake-log.ts'
import { DEFAULT_QUESTIONNAIRE, readQuestionnaireFile } from '../intake/questionnaire-file.ts'
import { utcToday } from '../intake/days.ts'
import { parseRecord } from './coding.ts'
import type { WorkbenchSession } from './session.ts'

/**
 * Interviews entered by a researcher: the same questionnaire, the same validation and the same
 * mapping as an online submission (`mapSubmission`, as the pull pipeline uses), so an interview and
 * a submission become the same records. Only the source differs: mode `interview`, who
 * interviewed, when and where, and whether consent was given orally.
 */

export const InterviewEntry = z
  .object({
    /** The questionnaire answered: the latest published version with this id; the default questionnaire when omitted. */
    questionnaireId: z.string().min(1).max(100).optional(),
    language: LanguageTag,
    answers: Answers,
    /** The interviewer's label (a profile or initials), never a respondent's name. */
    interviewer: z.string().trim().min(1).max(100),
    date: IsoDay,
    place: Place,
    consentGivenOrally: z.boolean(),
  })
  .strict()
export type InterviewEntry = z.input<typeof InterviewEntry>

/**
 * Validates the answers against the questionnaire, maps them, and records the interview as one
 * `testimony.imported`. Returns the new respondent's and testimony's ids.
 *
 * @throws AmanatError input `input.invalid` (the entry's shape), `submission.invalid` (answers that
 *   do not fit the questionnaire; paths in the details, never answers), `questionnaire.not_found`.
 */
export async function enterInterview(
  session: WorkbenchSession,
  entry: InterviewEntry,
): Promise<{ readonly respondentId: string; readonly testimonyId: string }> {
  const input = parseRecord(InterviewEntry, entry)
  const questionnaire = await questionnaireFor(session, input.questionnaireId)
  const submissionId = newId(SubmissionId)
  const mapped = mapSubmission(
    questionnaire,
    {
      format: SUBMISSION_FORMAT,
      questionnaireId: questionnaire.id,
      questionnaireVersion: questionnaire.version,
      language: input.language,
      answers: input.answers,
      attachments: [],
      submittedOn: input.date,
    },
    { submissionId, makeId: newId },
    session.codebook,
    utcToday(),
  )
  const body: TestimonyImportedBody = {
    ...mapped,
    respondent: {
      ...mapped.respondent,
      key: RespondentKey.parse(`I-${submissionId.slice(0, 8)}`),
      collectionMode: 'interview',
      consent: {
        ...mapped.respondent.consent,
        form: input.consentGivenOrally ? 'oral' : 'written',
        recordedOn: input.date,
      },
    },
    testimony: {
      ...mapped.testimony,
      source: {
        mode: 'interview',
        interviewer: input.interviewer,
        date: input.date,
        place: input.place,
        consentGivenOrally: input.consentGivenOrally,
      },
    },
  }
  await session.store.append(session.analyst.id, body)
  return { respondentId: body.respondent.id, testimonyId: body.testimony.id }
}

/**
 * The questionnaire an interview is entered with: the latest published version of `id`, or with no
 * id the latest published version of the default questionnaire, or the default itself when none was
 * published. The interview screen shows the one `enterInterview` validates against.
 *
 * @throws AmanatError input `questionnaire.not_found` when `id` was never published.
 */
export async function questionnaireFor(session: WorkbenchSession, id?: string): Promise<Questionnaire> {
  const fallback = readQuestionnaireFile(DEFAULT_QUESTIONNAIRE, session.codebook).questionnaire
  const published = (await publications(session.store)).map((p) => p.questionnaire)
  const latest = published.filter((q) => q.id === (id ?? fallback.id)).at(-1)
  if (latest !== undefined) return latest
  if (id === undefined) return fallback
  throw inputError('questionnaire.not_found', 'This workspace has published no questionnaire with that id.')
}
