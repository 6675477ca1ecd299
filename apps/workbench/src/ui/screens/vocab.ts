import {
  activeCodes,
  codebookRef,
  countryCodes,
  countryName,
  labelOf,
  type Codebook,
  type SectionName,
} from '@amanat/domain'
import { api } from '../api.ts'
import { uiLanguage } from '../i18n/i18n.ts'
import { page } from '../state.ts'

/**
 * The lists coding forms pick from, labelled in the interface language: codebook sections (only
 * codes not deprecated are offered for new coding) and countries.
 */
export function codeOptions(section: SectionName): (readonly [string, string])[] {
  const book = page.codebook
  if (book === null) return []
  return activeCodes(book, section).map(
    (entry) => [entry.code, labelOf(book, section, entry.code, uiLanguage())] as const,
  )
}

/** A code's label in the interface language (the code itself when the codebook lacks it). */
export function codeLabel(section: SectionName, code: string | null): string {
  if (code === null) return '—'
  return page.codebook === null ? code : labelOf(page.codebook, section, code, uiLanguage())
}

/**
 * Fetches the codebook again when `ref`, the version the server codes under, is not the one the
 * page holds: after a recode, here or in another workbench on the same store, the forms offer the
 * new version's codes, not the ones the page was opened with.
 */
export async function keepCodebook(ref: string): Promise<void> {
  if (page.codebook !== null && codebookRef(page.codebook) === ref) return
  page.codebook = (await api.get<{ codebook: Codebook }>('/api/codebook')).codebook
}

let countries: { language: string; options: (readonly [string, string])[] } | null = null

/** Every country, named in the interface language, sorted by name. */
export function countryOptions(): (readonly [string, string])[] {
  const language = uiLanguage()
  if (countries?.language !== language) {
    const collator = new Intl.Collator(language)
    const options = countryCodes().map((code) => [code, countryName(code, language)] as const)
    countries = { language, options: options.sort((a, b) => collator.compare(a[1], b[1])) }
  }
  return countries.options
}

export function countryLabel(code: string | null): string {
  return code === null ? '—' : countryName(code, uiLanguage())
}
