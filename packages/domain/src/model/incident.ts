import { z } from 'zod'
import { IncidentId, RelativeId, RespondentId, TestimonyId } from '../ids.ts'
import { CodebookRef } from '../codebook/codebook.schema.ts'
import { PartialDate } from './partial-date.ts'
import { Place } from './place.ts'
import { Code } from './schema-helpers.ts'
import { CONFIDENCE_LEVELS, TARGETS } from './vocabulary.ts'

/**
 * One act of harassment as coded from a testimony. It happens in two places: where it was
 * received (the respondent's phone in Istanbul) and where it originated (the police station at
 * home). `target` says whether it was aimed at the respondent or at a relative; the relative,
 * when known, is linked. Every coding records the codebook version it used.
 */
export const Incident = z
  .object({
    id: IncidentId,
    testimonyId: TestimonyId,
    respondentId: RespondentId,
    type: Code,
    channel: Code.nullable(),
    perpetrator: Code.nullable(),
    target: z.enum(TARGETS),
    relativeId: RelativeId.nullable(),
    receivedIn: Place,
    originatedIn: Place,
    date: PartialDate,
    confidence: z.enum(CONFIDENCE_LEVELS),
    note: z.string().max(10_000).nullable(),
    codebook: CodebookRef,
  })
  .strict()
  .refine((i) => i.target === 'relative' || i.relativeId === null, {
    error: 'an incident that targets the respondent cannot name a relative',
    path: ['relativeId'],
  })
export type Incident = z.infer<typeof Incident>
