import { z } from 'zod'
import { isCountryCode } from './country.ts'

/** An ISO 3166-1 alpha-2 country code, upper case (`TR`, `KZ`). */
export const CountryCode = z
  .string()
  .refine(isCountryCode, {
    // Echo the value only when it is shaped like a code: a misplaced field could hold a name, and
    // error messages end up in logs.
    error: (issue) =>
      typeof issue.input === 'string' && /^[A-Za-z]{2,3}$/.test(issue.input)
        ? `expected an ISO 3166-1 alpha-2 country code such as TR or KZ, got ${JSON.stringify(issue.input)}`
        : 'expected an ISO 3166-1 alpha-2 country code such as TR or KZ',
  })
  .brand<'CountryCode'>()
export type CountryCode = z.infer<typeof CountryCode>

/**
 * A place as precise as the source allows. Acts of transnational repression happen in two
 * places (DESIGN.md): a relative threatened in one, the message received in another, so an
 * incident holds two of these.
 */
export const Place = z
  .object({
    country: CountryCode.nullable(),
    /** Free text below country level (a city, a region, a named office). Optional. */
    locality: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
export type Place = z.infer<typeof Place>

export const UNKNOWN_PLACE: Place = Object.freeze({ country: null })
