/**
 * Text normalisation for search: the one function both the indexer and the query parser run, so
 * whatever a respondent typed and whatever an analyst types meet in the same form. The choices,
 * and why, are in docs/decisions/0013-multilingual-search.md:
 *
 * - NFKC: full-width Latin and digits (common in Chinese text) become ASCII, Arabic presentation
 *   forms (ﻻ, ﺋﺎ) become base letters, ligatures and compatibility characters are unfolded.
 * - Uyghur Arabic script: letters typed in their Arabic or Persian keyboard look-alikes are
 *   mapped to the Uyghur letter (Persian yeh ی → ي, keheh ک → ك, a lone or high hamza ء ٴ → ئ,
 *   waw with a vowel mark → ۇ ۈ ۆ, Kirghiz ۉ → ۈ), then tatweel and every Arabic vowel mark are
 *   removed: Uyghur writes its vowels as letters, so marks are noise or decoration. Arabic-Indic
 *   and Persian digits become ASCII digits.
 * - Case folding that knows Turkish: İ, I, ı and i all fold to i. A Turkish reader writes
 *   İstanbul, ISTANBUL, istanbul or (on a phone without the letter) ıstanbul, and all four must
 *   meet; folding the dotless ı into i costs a handful of rare Turkish minimal pairs.
 * - Latin (and Greek, Cyrillic) diacritics are removed, so şehir and sehir meet: diaspora users
 *   often type on keyboards without Turkish letters.
 * - Invisible format characters (ZWNJ, bidi marks, soft hyphen, BOM) are removed.
 *
 * Idempotent (a property test checks it): normalise(normalise(x)) === normalise(x).
 */
export function normalise(text: string): string {
  let out = text.normalize('NFKC')
  if (ARABIC.test(out)) out = foldArabicScript(out)
  out = out.replace(FORMAT_CHARACTERS, '').replace(DOTTED_CAPITAL_I, 'i').replace(DOTLESS_I, 'i').toLowerCase()
  out = out.replace(SHARP_S, 'ss').replace(FINAL_SIGMA, 'σ')
  if (COMBINABLE.test(out)) out = out.normalize('NFD').replace(COMBINING_DIACRITICS, '').normalize('NFKC')
  return out
}

const ARABIC = /[\u0600-\u06ff\u0750-\u077f]/u
const FORMAT_CHARACTERS = /\p{Cf}/gu
const DOTTED_CAPITAL_I = /\u0130/g
const DOTLESS_I = /\u0131/g
const SHARP_S = /ß/g
const FINAL_SIGMA = /ς/g
/** Latin, Greek and Cyrillic letters NFD may split into a base and a mark, or such a mark left alone. */
const COMBINABLE = /[\u00c0-\u024f\u0300-\u04ff\u1e00-\u1fff]/u
const COMBINING_DIACRITICS = /[\u0300-\u036f]/g

/**
 * Look-alike spellings of Uyghur letters, matched before the vowel marks are dropped (the mark may
 * carry the vowel), then the marks themselves and the Arabic-Indic and Persian digits, in one pass.
 */
const ARABIC_FOLDS: Readonly<Record<string, string>> = {
  '\u064a\u0654': '\u0626', // yeh + hamza above → ئ
  '\u0649\u0654': '\u0626', // alef maksura + hamza above → ئ
  '\u06cc\u0654': '\u0626', // Persian yeh + hamza above → ئ
  '\u0648\u064f': '\u06c7', // waw + damma → ۇ
  '\u0648\u0670': '\u06c8', // waw + superscript alef → ۈ
  '\u0648\u065a': '\u06c6', // waw + small v above → ۆ
  '\u06c9': '\u06c8', // Kirghiz yu ۉ → ۈ
  '\u06cc': '\u064a', // Persian yeh ی → ي
  '\u06a9': '\u0643', // keheh ک → ك
  '\u0621': '\u0626', // a lone hamza ء → the hamza carrier ئ
  '\u0674': '\u0626', // high hamza ٴ → ئ
}
/** Tatweel and Arabic marks (Quranic signs, harakat, superscript alef, small high signs) are dropped. */
const ARABIC_FOLD =
  /[\u064a\u0649\u06cc]\u0654|\u0648[\u064f\u0670\u065a]|[\u06c9\u06cc\u06a9\u0621\u0674]|[\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed]|[\u0660-\u0669\u06f0-\u06f9]/g

function foldArabicScript(text: string): string {
  return text.replace(ARABIC_FOLD, (match) => {
    const code = match.charCodeAt(0)
    // Arabic-Indic (٠–٩) and Persian (۰–۹) digits: the low four bits of each code point are its value.
    if ((code >= 0x660 && code <= 0x669) || code >= 0x6f0) return String(code & 0xf)
    return ARABIC_FOLDS[match] ?? ''
  })
}
