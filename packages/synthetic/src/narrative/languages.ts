import { WeightedTable } from '../prng.ts'
import { CHINESE } from './chinese.ts'
import { ENGLISH } from './english.ts'
import type { NarrativeLanguage, Phrasebook } from './phrasebook.ts'
import { TURKISH } from './turkish.ts'
import { UYGHUR } from './uyghur.ts'

/** The phrasebook of each narrative language. */
export const PHRASEBOOKS: Readonly<Record<NarrativeLanguage, Phrasebook>> = {
  ug: UYGHUR,
  zh: CHINESE,
  en: ENGLISH,
  tr: TURKISH,
}

const table = (ug: number, zh: number, en: number, tr: number) =>
  new WeightedTable<NarrativeLanguage>([
    ['ug', ug],
    ['zh', zh],
    ['en', en],
    ['tr', tr],
  ])

const IN_TURKEY = table(55, 10, 5, 30)
const ENGLISH_SPEAKING = table(50, 15, 30, 5)
const CENTRAL_ASIA = table(75, 20, 2, 3)
const ELSEWHERE = table(60, 17, 18, 5)
/** Kazakhs, Kyrgyz and others rarely write Uyghur; Chinese is the shared written language. */
const NOT_UYGHUR = table(30, 40, 20, 10)

const ENGLISH_SPEAKING_COUNTRIES = new Set(['US', 'CA', 'GB', 'AU', 'NZ'])
const CENTRAL_ASIAN_COUNTRIES = new Set(['KZ', 'KG', 'UZ'])

/**
 * The language a respondent writes in, weighted to Uyghur, with Turkish in Turkey, English in
 * English-speaking countries and Chinese among respondents who are not Uyghur.
 */
export function narrativeLanguagesFor(
  country: string,
  ethnicity: string | null,
): WeightedTable<NarrativeLanguage> {
  if (ethnicity !== null && ethnicity !== 'uyghur') return NOT_UYGHUR
  if (country === 'TR') return IN_TURKEY
  if (ENGLISH_SPEAKING_COUNTRIES.has(country)) return ENGLISH_SPEAKING
  if (CENTRAL_ASIAN_COUNTRIES.has(country)) return CENTRAL_ASIA
  return ELSEWHERE
}
