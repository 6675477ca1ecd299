import { CHROME_LANGUAGES, MESSAGES, type ChromeLanguage, type MessageKey } from './messages.ts'

/** Languages written right to left (primary subtag). */
const RTL = new Set(['ug', 'ar', 'fa', 'ur', 'ps', 'he', 'yi', 'ckb', 'sd'])

/** The text direction of a language tag: `rtl` for Uyghur (Arabic script) and other RTL scripts. */
export function directionOf(language: string): 'rtl' | 'ltr' {
  const lower = language.toLowerCase()
  // Uyghur in Latin or Cyrillic script (ug-Latn, ug-Cyrl) is left to right.
  if (/-(latn|cyrl)\b/.test(lower)) return 'ltr'
  return RTL.has(lower.split('-')[0] ?? '') ? 'rtl' : 'ltr'
}

/** The chrome language for a content language: itself if the page has its words, else English. */
export function chromeLanguageFor(language: string): ChromeLanguage {
  const primary = language.toLowerCase().split('-')[0] ?? ''
  return (CHROME_LANGUAGES as readonly string[]).includes(primary) ? (primary as ChromeLanguage) : 'en'
}

/** A chrome message in `language` with `{name}` placeholders filled in. Never throws. */
export function translate(language: string, key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
  const template = MESSAGES[chromeLanguageFor(language)][key]
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name]
    return value === undefined ? whole : String(value)
  })
}

/**
 * The first of `preferred` (the browser's languages, best first) that `available` offers, by exact
 * tag then by primary subtag; else `fallback`.
 */
export function pickLanguage(available: readonly string[], preferred: readonly string[], fallback: string): string {
  for (const wanted of preferred) {
    const lower = wanted.toLowerCase()
    const exact = available.find((a) => a.toLowerCase() === lower)
    if (exact !== undefined) return exact
    const primary = available.find((a) => a.toLowerCase().split('-')[0] === lower.split('-')[0])
    if (primary !== undefined) return primary
  }
  return fallback
}

/**
 * A byte count for people: `850 KB`, `25.1 MB` (powers of 1024, as file pickers show them). One
 * decimal below 100 MB, so a file just over a 25 MB limit does not read as "25 MB".
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`
  const mb = bytes / (1024 * 1024)
  return `${mb < 100 ? mb.toFixed(1).replace(/\.0$/, '') : Math.round(mb)} MB`
}
