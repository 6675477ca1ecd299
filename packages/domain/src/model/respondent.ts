import { z } from 'zod'
import { RespondentId } from '../ids.ts'
import { Consent } from './consent.ts'
import { CountryCode } from './place.ts'
import { Code } from './schema-helpers.ts'
import { COLLECTION_MODES, DISCLOSURE_WISHES } from './vocabulary.ts'

export const GENDERS = ['woman', 'man', 'other', 'undisclosed'] as const
export const AGE_BANDS = ['under_18', '18_29', '30_44', '45_59', '60_plus'] as const

/**
 * The organisation's own reference for a respondent (`R-0042`), as used in spreadsheets and on
 * the command line. It is not personal data and must never be derived from a name.
 */
export const RespondentKey = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    error: 'expected a respondent key of letters, digits, dot, dash or underscore (such as R-0042)',
  })
  .brand<'RespondentKey'>()
export type RespondentKey = z.infer<typeof RespondentKey>

/** The one stable public name of a respondent in every output (issue: pseudonym registry). */
export const Pseudonym = z.string().trim().min(2).max(60).brand<'Pseudonym'>()
export type Pseudonym = z.infer<typeof Pseudonym>

/**
 * A respondent is a *source*: the person who told us (HURIDOCS keeps source and victim apart;
 * an incident says whether it targeted the respondent or a relative). Nothing here identifies
 * the person directly: names, contact details and invite links live in the vault.
 */
export const Respondent = z
  .object({
    id: RespondentId,
    key: RespondentKey,
    collectionMode: z.enum(COLLECTION_MODES),
    residenceCountry: CountryCode.nullable(),
    /** Code from the codebook's `ethnicities`. */
    ethnicity: Code.nullable(),
    /** Code from the codebook's `residence_statuses`. */
    status: Code.nullable(),
    gender: z.enum(GENDERS).nullable(),
    ageBand: z.enum(AGE_BANDS).nullable(),
    occupation: z.string().trim().min(1).max(200).nullable(),
    activist: z.boolean().nullable(),
    /** Codes from the codebook's `impacts`: what the harassment did to the respondent. */
    impacts: z.array(Code).max(50).default([]),
    disclosure: z.enum(DISCLOSURE_WISHES),
    consent: Consent,
    pseudonym: Pseudonym.nullable(),
  })
  .strict()
export type Respondent = z.infer<typeof Respondent>
