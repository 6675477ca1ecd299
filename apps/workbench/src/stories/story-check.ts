import { parsePhoneNumberFromString } from 'libphonenumber-js'

/**
 * The release check for case stories (DESIGN.md, "Stories"): a story may not contain any name,
 * number or id the workspace knows identifies someone — the testimony's identifiers (phone
 * numbers, WeChat and WhatsApp ids, e-mail addresses, office and officer names), the vault's
 * names and contacts, the places below country level the incidents record — and may not date
 * anything finer than a year. Pure: callers gather the terms, this decides.
 *
 * Matching is deliberately blunt, because a false alarm costs an analyst a rewrite and a miss can
 * cost a family: text and terms are compared after Unicode compatibility folding, without case,
 * accents, spaces or punctuation; numbers are compared as digit strings (Arabic-Indic digits
 * folded to ASCII), so `+90 (532) 123-45-67`, `0532 123 45 67` and `905321234567` are one number.
 */

/** Where a forbidden term came from. Findings name the source and kind, never the term itself. */
export type TermSource = 'identifier' | 'vault' | 'place'

/** Something a story must not contain. `kind` is the identifier kind (`phone`, `wechat`, …) or `name`, `locality`… */
export interface ForbiddenTerm {
  readonly source: TermSource
  readonly kind: string
  readonly value: string
}

/** One reason a story cannot be released. It never repeats the offending text (findings are printed). */
export type StoryFinding =
  | { readonly problem: 'identifying_term'; readonly source: TermSource; readonly kind: string }
  | { readonly problem: 'exact_date' }

const PHONE_LIKE_KINDS: ReadonlySet<string> = new Set(['phone', 'whatsapp'])
/** Shorter digit strings (a year, a count) are too common to mean a phone number. */
const MIN_PHONE_DIGITS = 6
/** Shorter Latin terms (initials) would match inside ordinary words. */
const MIN_LATIN_TERM = 3

/** Folds text for comparison: compatibility forms, no marks, no case, no spaces, punctuation or symbols. */
export function foldText(text: string): string {
  return foldDigits(text.normalize('NFKD'))
    .replace(/[\p{M}\p{Z}\p{P}\p{S}\p{Cf}\s]/gu, '')
    .toLowerCase()
}

/** The digits of `text` as one string per run, where a run may be broken by spaces, dots, dashes, slashes or brackets. */
export function digitRuns(text: string): string[] {
  return (
    foldDigits(text.normalize('NFKC'))
      .replace(/(?<=\d)[\s\u00a0.\-–/()+]+(?=[\d(+])/g, '')
      .match(/\d+/g) ?? []
  )
}

/** Arabic-Indic (U+0660…) and Extended Arabic-Indic (U+06F0…, used in Uyghur and Persian) digits to ASCII. */
function foldDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.codePointAt(0) ?? 0) & 0xf))
}

/** The digit strings that stand for a phone-like term: as written, and its national number. */
function phoneDigits(value: string): string[] {
  const forms = new Set<string>()
  const written = digitRuns(value).join('')
  if (written.length >= MIN_PHONE_DIGITS) forms.add(written)
  const parsed = parsePhoneNumberFromString(value.startsWith('+') ? value : `+${written}`)
  if (parsed !== undefined && parsed.nationalNumber.length >= MIN_PHONE_DIGITS)
    forms.add(parsed.nationalNumber)
  return [...forms]
}

function longEnough(folded: string): boolean {
  return folded.length >= MIN_LATIN_TERM || (folded.length >= 1 && /[^\p{Script=Latin}\d]/u.test(folded))
}

/**
 * Every finding for `text` against `terms`, one per offending term kind and source (no duplicates),
 * plus `exact_date` when the text dates something to the day or month. Empty: releasable.
 */
export function checkStoryText(text: string, terms: readonly ForbiddenTerm[]): StoryFinding[] {
  const folded = foldText(text)
  const runs = digitRuns(text)
  const found = new Map<string, StoryFinding>()
  for (const term of terms) {
    const termFolded = foldText(term.value)
    const asText = longEnough(termFolded) && folded.includes(termFolded)
    const digits =
      PHONE_LIKE_KINDS.has(term.kind) || /^\+?[\d\s().\-–/]+$/.test(term.value) ? phoneDigits(term.value) : []
    const asNumber = digits.some((d) => runs.some((run) => run.includes(d)))
    if (asText || asNumber) {
      found.set(`${term.source}:${term.kind}`, {
        problem: 'identifying_term',
        source: term.source,
        kind: term.kind,
      })
    }
  }
  if (EXACT_DATES.some((pattern) => pattern.test(text))) found.set('date', { problem: 'exact_date' })
  return [...found.values()]
}

const MONTHS =
  'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|' +
  'ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık'

/**
 * Dates finer than a year: ISO days and months, numeric days (14.03.2019, 3/14/2019), a month name
 * beside a year or a day (English and Turkish), and Chinese 年…月. Stories generalise dates to the year.
 */
const EXACT_DATES: readonly RegExp[] = [
  /\b(19|20)\d\d-(0?[1-9]|1[0-2])(-\d\d?)?\b/,
  /\b\d\d?[./-]\d\d?[./-](19|20)?\d\d\b/,
  new RegExp(`\\b(${MONTHS})\\.?\\s+(\\d\\d?,?\\s+)?(19|20)\\d\\d\\b`, 'iu'),
  new RegExp(`\\b\\d\\d?\\.?\\s+(${MONTHS})\\b`, 'iu'),
  new RegExp(`\\b(${MONTHS})\\s+\\d\\d?(st|nd|rd|th)?\\b`, 'iu'),
  /(19|20)\d\d\s*年\s*\d{1,2}\s*月/,
]
