import { z } from 'zod'
import { LanguageTag } from '../model/schema-helpers.ts'

/**
 * Text a respondent reads, in several languages: `{ "en": "Where do you live?", "ug": "…" }`.
 * Keys are the questionnaire's declared languages. An empty string stands for "not translated
 * yet" (translators fill templates), so it is listed as a missing translation, never shown.
 */
export const MultilingualText = z.record(LanguageTag, z.string().max(20_000))
export type MultilingualText = z.infer<typeof MultilingualText>

/** True when `text` holds something readable in `language` (not absent, not blank). */
export function hasText(text: MultilingualText, language: string): boolean {
  const value = text[language]
  return value !== undefined && value.trim() !== ''
}

/**
 * The text in `language`, else in `fallback` (the questionnaire's default language), else ''.
 * Never throws: a page must render something for every text it is given.
 */
export function textIn(text: MultilingualText, language: string, fallback: string): string {
  if (hasText(text, language)) return text[language] ?? ''
  return hasText(text, fallback) ? (text[fallback] ?? '') : ''
}
