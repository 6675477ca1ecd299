import type { DatePrecision, PartialDate } from '@amanat/domain'

const MS_PER_DAY = 86_400_000
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * Days counted from 1970-01-01 (UTC), or null when `iso` is not a real `YYYY-MM-DD` day.
 */
export function dayNumberOf(iso: string): number | null {
  const match = ISO_DAY.exec(iso)
  if (match === null) return null
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
  const day = time / MS_PER_DAY
  return isoDayOf(day) === iso ? day : null
}

/** The `YYYY-MM-DD` of a day number. */
export function isoDayOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10)
}

/**
 * ISO strings for a fixed span of days, computed once: formatting a `Date` per record would be
 * the generator's single largest cost at a million respondents. Memory is bounded by the span
 * (a few thousand days), never by the number of respondents.
 */
export class DayTable {
  private readonly cache: (string | undefined)[] = []
  private readonly firstDay: number

  /** `firstDay` is the earliest day expected; days outside the cached span are still formatted. */
  constructor(firstDay: number) {
    this.firstDay = firstDay
  }

  iso(day: number): string {
    const index = day - this.firstDay
    if (index < 0 || index > 20_000) return isoDayOf(day)
    return (this.cache[index] ??= isoDayOf(day))
  }

  /** The day cut to `precision` (never inventing precision the date does not have). */
  partial(day: number, precision: DatePrecision): PartialDate {
    switch (precision) {
      case 'day':
        return { precision, value: this.iso(day) }
      case 'month':
        return { precision, value: this.iso(day).slice(0, 7) }
      case 'year':
        return { precision, value: this.iso(day).slice(0, 4) }
      case 'unknown':
        return { precision }
    }
  }
}

/** The day number of 1 January of the year `years` before the year of `day`. */
export function startOfYearBefore(day: number, years: number): number {
  const year = new Date(day * MS_PER_DAY).getUTCFullYear() - years
  return Date.UTC(year, 0, 1) / MS_PER_DAY
}
