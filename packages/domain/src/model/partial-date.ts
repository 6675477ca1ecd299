import { z } from 'zod'
import { AmanatError } from '../errors.ts'

/**
 * A date with the precision the source gave: "March 2019" is a month, "some time in 2018" a
 * year, "I don't remember" unknown. Never invent precision the testimony does not have.
 */
export const DATE_PRECISIONS = ['day', 'month', 'year', 'unknown'] as const
export type DatePrecision = (typeof DATE_PRECISIONS)[number]

const year = /^(19|20)\d{2}$/
const month = /^(19|20)\d{2}-(0[1-9]|1[0-2])$/
const day = /^(19|20)\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/

function isRealDay(value: string): boolean {
  const d = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value
}

export const PartialDate = z.discriminatedUnion('precision', [
  z
    .object({
      precision: z.literal('day'),
      value: z
        .string()
        .regex(day, { error: 'expected a day as YYYY-MM-DD' })
        .refine(isRealDay, { error: 'no such day in the calendar' }),
    })
    .strict(),
  z
    .object({
      precision: z.literal('month'),
      value: z.string().regex(month, { error: 'expected a month as YYYY-MM' }),
    })
    .strict(),
  z
    .object({
      precision: z.literal('year'),
      value: z.string().regex(year, { error: 'expected a year as YYYY' }),
    })
    .strict(),
  z.object({ precision: z.literal('unknown') }).strict(),
])
export type PartialDate = z.infer<typeof PartialDate>

export const UNKNOWN_DATE: PartialDate = Object.freeze({ precision: 'unknown' })

/** The year of a partial date, or null when unknown. */
export function yearOf(date: PartialDate): number | null {
  return date.precision === 'unknown' ? null : Number(date.value.slice(0, 4))
}

/**
 * Parses `2019`, `2019-03`, `2019-03-04` or an empty string (unknown) into a partial date.
 * Throws an `input` {@link AmanatError} `date.invalid` for anything else, including a day that
 * is not in the calendar (`2019-02-30`); the message does not repeat the text.
 */
export function partialDateFromString(text: string): PartialDate {
  const value = text.trim()
  if (value === '') return UNKNOWN_DATE
  const precision = day.test(value) ? 'day' : month.test(value) ? 'month' : year.test(value) ? 'year' : null
  if (precision === null) {
    throw new AmanatError(
      'input',
      'date.invalid',
      'Expected a date as YYYY, YYYY-MM or YYYY-MM-DD between 1900 and 2099, or nothing when unknown.',
    )
  }
  if (precision === 'day' && !isRealDay(value)) {
    throw new AmanatError('input', 'date.invalid', 'There is no such day in the calendar.')
  }
  return PartialDate.parse({ precision, value })
}
