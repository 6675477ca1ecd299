/**
 * Where the synthetic respondents live: 22 diaspora hubs on five continents, as in the seed study
 * ("22 countries across five continents"), with a skewed weight per country (large communities
 * in Turkey and Central Asia, smaller ones in Western Europe, North America, Oceania, East Asia,
 * the Gulf and North Africa). The weights are invented to give that shape, not measured.
 */
export const STUDY_COUNTRIES = [
  { code: 'TR', weight: 90 },
  { code: 'KZ', weight: 55 },
  { code: 'US', weight: 40 },
  { code: 'DE', weight: 30 },
  { code: 'NL', weight: 25 },
  { code: 'KG', weight: 20 },
  { code: 'AU', weight: 18 },
  { code: 'CA', weight: 15 },
  { code: 'UZ', weight: 14 },
  { code: 'SE', weight: 12 },
  { code: 'GB', weight: 12 },
  { code: 'NO', weight: 10 },
  { code: 'BE', weight: 8 },
  { code: 'FR', weight: 8 },
  { code: 'JP', weight: 7 },
  { code: 'SA', weight: 6 },
  { code: 'EG', weight: 5 },
  { code: 'CH', weight: 5 },
  { code: 'FI', weight: 4 },
  { code: 'NZ', weight: 4 },
  { code: 'MY', weight: 4 },
  { code: 'AT', weight: 3 },
] as const satisfies readonly { code: string; weight: number }[]

/** One of the 22 residence countries of the synthetic study. */
export type StudyCountry = (typeof STUDY_COUNTRIES)[number]['code']

/** The country the harassment is run from (the home state in the seed study). */
export const HOME_COUNTRY = 'CN'
