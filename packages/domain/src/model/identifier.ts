import { z } from 'zod'
import { IdentifierId, IncidentId, RespondentId } from '../ids.ts'
import { IDENTIFIER_KINDS } from './vocabulary.ts'

/**
 * Something that identifies a perpetrator or a channel: the phone number that called, a WeChat
 * id, a consulate's name. `value` is as the respondent gave it; `normalised` is the canonical
 * form used to link incidents across testimonies (E.164 for phones), or null when there is none.
 */
export const Identifier = z
  .object({
    id: IdentifierId,
    respondentId: RespondentId,
    kind: z.enum(IDENTIFIER_KINDS),
    value: z.string().trim().min(1).max(500),
    normalised: z.string().min(1).max(500).nullable(),
    incidentIds: z.array(IncidentId).max(1000),
  })
  .strict()
export type Identifier = z.infer<typeof Identifier>
