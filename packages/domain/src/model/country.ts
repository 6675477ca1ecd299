import { countries } from 'countries-list'

/** Continents as the statistics name them (the `continent` dimension). */
export const CONTINENTS = [
  'africa',
  'antarctica',
  'asia',
  'europe',
  'north_america',
  'oceania',
  'south_america',
] as const
export type Continent = (typeof CONTINENTS)[number]

const CONTINENT_BY_LIBRARY_CODE: Readonly<Record<string, Continent>> = {
  AF: 'africa',
  AN: 'antarctica',
  AS: 'asia',
  EU: 'europe',
  NA: 'north_america',
  OC: 'oceania',
  SA: 'south_america',
}

const COUNTRY_TABLE: ReadonlyMap<string, { readonly name: string; readonly continent: Continent }> =
  new Map(
    Object.entries(countries).map(([code, c]) => [
      code,
      { name: c.name, continent: CONTINENT_BY_LIBRARY_CODE[c.continent] ?? 'asia' },
    ]),
  )

/** True for an assigned ISO 3166-1 alpha-2 code in upper case. */
export function isCountryCode(value: unknown): value is string {
  return typeof value === 'string' && COUNTRY_TABLE.has(value)
}

/** Every assigned alpha-2 code, sorted. */
export function countryCodes(): readonly string[] {
  return [...COUNTRY_TABLE.keys()].sort()
}

/** The continent of a country code, or null for an unknown code. */
export function continentOf(code: string): Continent | null {
  return COUNTRY_TABLE.get(code)?.continent ?? null
}

/**
 * The country's name in the given language, from the platform's own locale data (`Intl`), so
 * Uyghur, Chinese and Turkish names need no table of ours. Falls back to English, then the code.
 */
export function countryName(code: string, language = 'en'): string {
  try {
    const names = new Intl.DisplayNames([language, 'en'], { type: 'region', fallback: 'none' })
    const name = names.of(code)
    if (name !== undefined && name !== code) return name
  } catch {
    // An unsupported language tag: fall through to the English table.
  }
  return COUNTRY_TABLE.get(code)?.name ?? code
}
