import { COLLECTION_MODES, CONSENT_USES, Code, CountryCode } from '@amanat/domain'
import { z } from 'zod'

/**
 * Filters, kept inside the full-text index as *facet terms* in a second column
 * (`code:threat_to_relatives`, `country:tr`, `year:2018`, `mode:online`, `consent:quote`), so
 * that a filtered search is one FTS5 query whose doclists intersect inside the engine, with no
 * join against the store (which may be a PostgreSQL server). Facet terms hold `:` and `_`, which
 * no text term ever does, and they live in a column the ranking gives weight 0.
 *
 * Meaning (docs/decisions/0013-multilingual-search.md):
 * - `codes`: every code listed applies to the testimony: an incident coded from it has it as type,
 *   channel or perpetrator, or the respondent has it as impact, ethnicity or residence status, or
 *   one of their relatives has it as relation or status.
 * - `countries`: any of them is the respondent's residence or where an incident of the testimony
 *   was received or originated.
 * - `years`: an incident of the testimony happened in that range (inclusive).
 * - `mode`: the respondent's collection mode.
 * - `consent`: the respondent currently allows that use (withdrawal overrides every use), or has
 *   withdrawn.
 */
export const SearchFilters = z
  .object({
    codes: z.array(Code).max(20).optional(),
    countries: z.array(CountryCode).min(1).max(50).optional(),
    years: z
      .object({ from: z.number().int().min(1900).max(2100), to: z.number().int().min(1900).max(2100) })
      .strict()
      .refine((y) => y.from <= y.to, { error: 'the first year must not come after the last' })
      .optional(),
    mode: z.enum(COLLECTION_MODES).optional(),
    consent: z.enum([...CONSENT_USES, 'withdrawn']).optional(),
  })
  .strict()
export type SearchFilters = z.infer<typeof SearchFilters>

/** A document's facet values, before they become terms. Nulls are skipped. */
export interface FacetValues {
  readonly mode: string | null
  readonly consent: readonly string[]
  readonly codes: readonly (string | null)[]
  readonly countries: readonly (string | null)[]
  readonly years: readonly (number | null)[]
}

/** The facet column's text for a document: each distinct facet term once. */
export function facetTerms(values: FacetValues): string {
  const terms = new Set<string>()
  if (values.mode !== null) terms.add(`mode:${values.mode}`)
  for (const use of values.consent) terms.add(`consent:${use}`)
  for (const code of values.codes) if (code !== null) terms.add(`code:${code}`)
  for (const country of values.countries) if (country !== null) terms.add(`country:${country.toLowerCase()}`)
  for (const year of values.years) if (year !== null) terms.add(`year:${String(year)}`)
  return [...terms].join(' ')
}

/** True when no filter is set. */
export function noFilters(filters: SearchFilters): boolean {
  return Object.values(filters).every((value) => value === undefined || (Array.isArray(value) && value.length === 0))
}

/**
 * The filters as an FTS5 expression over the facet column, or null when there are none. Every
 * term is quoted: codes and countries passed the schema above, so nothing here can be FTS5 syntax.
 */
export function facetExpression(filters: SearchFilters): string | null {
  const all: string[] = []
  for (const code of filters.codes ?? []) all.push(quoted(`code:${code}`))
  if (filters.countries !== undefined) all.push(anyOf(filters.countries.map((c) => `country:${c.toLowerCase()}`)))
  if (filters.years !== undefined) {
    const years: string[] = []
    for (let year = filters.years.from; year <= filters.years.to; year++) years.push(`year:${String(year)}`)
    all.push(anyOf(years))
  }
  if (filters.mode !== undefined) all.push(quoted(`mode:${filters.mode}`))
  if (filters.consent !== undefined) all.push(quoted(`consent:${filters.consent}`))
  return all.length === 0 ? null : `facets : (${all.join(' AND ')})`
}

function anyOf(terms: readonly string[]): string {
  return terms.length === 1 ? quoted(terms[0] ?? '') : `(${terms.map(quoted).join(' OR ')})`
}

function quoted(term: string): string {
  return `"${term}"`
}
