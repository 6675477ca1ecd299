import { z } from 'zod'
import { RelativeId, RespondentId } from '../ids.ts'
import { CodebookRef } from '../codebook/codebook.schema.ts'
import { PartialDate } from './partial-date.ts'
import { Code } from './schema-helpers.ts'

/**
 * A relative of the respondent, usually still in the home country: how they are related, what
 * became of them, since when, and when the respondent last heard from them. No names here: a
 * relative's name, when recorded at all, belongs in the vault.
 */
export const Relative = z
  .object({
    id: RelativeId,
    respondentId: RespondentId,
    /** Code from the codebook's `relations`. */
    relation: Code,
    /** Code from the codebook's `relative_statuses`. */
    status: Code,
    since: PartialDate,
    lastContact: PartialDate,
    note: z.string().max(10_000).nullable(),
    codebook: CodebookRef,
  })
  .strict()
export type Relative = z.infer<typeof Relative>
