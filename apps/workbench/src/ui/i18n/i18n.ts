import { en, type MessageKey } from './en.ts'
import { tr } from './tr.ts'
import { ug } from './ug.ts'
import { zh } from './zh.ts'

/**
 * The workbench's interface language: English, Uyghur (Arabic script, right to left), Chinese and
 * Turkish. Only the chrome follows it; testimonies are shown in whatever language they were given,
 * each in its own bidi-isolated element with `dir="auto"`, so Uyghur, Chinese and English content
 * sit correctly side by side whatever the interface language is.
 */
export const UI_LANGUAGES = ['en', 'ug', 'zh', 'tr'] as const
export type UiLanguage = (typeof UI_LANGUAGES)[number]

export const LANGUAGE_NAMES: Readonly<Record<UiLanguage, string>> = {
  en: 'English',
  ug: 'ئۇيغۇرچە',
  zh: '中文',
  tr: 'Türkçe',
}

const CATALOGUES = { en, ug, zh, tr }

let current: UiLanguage = 'en'

export function uiLanguage(): UiLanguage {
  return current
}

/** Switches the interface language and sets `lang` and `dir` on the document. */
export function setUiLanguage(language: UiLanguage): void {
  current = language
  document.documentElement.lang = language
  document.documentElement.dir = language === 'ug' ? 'rtl' : 'ltr'
}

/** The browser's preferred interface language among ours, else English. */
export function preferredLanguage(preferred: readonly string[]): UiLanguage {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0]
    const found = UI_LANGUAGES.find((l) => l === primary)
    if (found !== undefined) return found
  }
  return 'en'
}

export function isUiLanguage(value: string): value is UiLanguage {
  return (UI_LANGUAGES as readonly string[]).includes(value)
}

/** A message in the current language with `{name}` placeholders filled in. */
export function t(key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
  return CATALOGUES[current][key].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name]
    return value === undefined ? whole : String(value)
  })
}

/** A message key built from a prefix and a value (`status_` + `coded`), for closed vocabularies. */
export function tv(prefix: string, value: string): string {
  const key = `${prefix}${value}`
  return key in en ? t(key as MessageKey) : value
}
