import { normalise } from './normalise.ts'

/**
 * Splitting text into index terms. Words (runs of letters, marks and digits) are one term each,
 * normalised. Chinese and Japanese are written without spaces, so a run of Han or Kana becomes its
 * overlapping bigrams plus the run's last character on its own: 我的哥哥 → 我的 的哥 哥哥 哥. Any
 * substring of two or more characters is then a phrase of consecutive bigrams, and any single
 * character is the first character of some term (a prefix query), at about one term per
 * character: a third of what trigrams cost, and trigrams cannot find two-character words at all
 * (docs/decisions/0013-multilingual-search.md).
 *
 * The scanner classifies UTF-16 units through a 64 KiB table built once: Unicode property
 * regexes over whole testimonies were the slowest part of indexing (about 28 MB/s here against
 * 150 for the table).
 */

/** A term and where it came from in the original text (UTF-16 offsets, `end` exclusive). */
export interface Token {
  readonly term: string
  readonly start: number
  readonly end: number
}

const SEPARATOR = 0
const WORD = 1
/** Han, Hiragana, Katakana and the prolonged-sound mark ー: written without spaces. */
const UNSPACED = 2
const FORMAT = 3
const SURROGATE = 4

const UNSPACED_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc]/u
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u
const FORMAT_CHAR = /\p{Cf}/u

function classify(char: string): number {
  if (UNSPACED_CHAR.test(char)) return UNSPACED
  if (WORD_CHAR.test(char)) return WORD
  return FORMAT_CHAR.test(char) ? FORMAT : SEPARATOR
}

let classes: Uint8Array | null = null

function classTable(): Uint8Array {
  if (classes !== null) return classes
  const table = new Uint8Array(0x10000)
  for (let unit = 0; unit < 0x10000; unit++) {
    table[unit] = unit >= 0xd800 && unit < 0xe000 ? SURROGATE : classify(String.fromCharCode(unit))
  }
  classes = table
  return table
}

/** A run of one class: `[start, end)` in the scanned text. */
type RunHandler = (kind: typeof WORD | typeof UNSPACED, start: number, end: number) => void

/**
 * Calls `onRun` for each maximal run of word or unspaced characters. With `wholeWords`, a run is
 * anything between separators, whatever it mixes (letters, Han, marks, format characters): the
 * raw text is cut there before it is normalised, which may join what raw classes would split (a
 * stray mark between two Han characters disappears; a ZWNJ inside a word too).
 */
function scan(text: string, wholeWords: boolean, onRun: RunHandler): void {
  const table = classTable()
  let kind = SEPARATOR
  let start = 0
  let i = 0
  while (i < text.length) {
    let k = table[text.charCodeAt(i)] ?? SEPARATOR
    let width = 1
    if (k === SURROGATE) {
      const point = text.codePointAt(i) ?? 0
      width = point > 0xffff ? 2 : 1
      k = classify(String.fromCodePoint(point))
    }
    if (k === FORMAT) k = wholeWords ? WORD : SEPARATOR
    else if (wholeWords && k === UNSPACED) k = WORD
    if (k !== kind) {
      if (kind === WORD || kind === UNSPACED) onRun(kind, start, i)
      kind = k
      start = i
    }
    i += width
  }
  if (kind === WORD || kind === UNSPACED) onRun(kind, start, text.length)
}

/**
 * The index terms of `text`, in order, with their places in it: exact where normalising the
 * word kept its length (nearly always for Han, Kana and ASCII), otherwise the whole original
 * word. For snippets: indexing uses {@link indexTerms}.
 */
export function tokenise(text: string): Token[] {
  const tokens: Token[] = []
  scan(text, true, (_kind, start, end) => {
    const raw = text.slice(start, end)
    const folded = normalise(raw)
    const exact = folded.length === raw.length
    scan(folded, false, (kind, from, to) => {
      const piece = folded.slice(from, to)
      if (kind === UNSPACED) pushUnspaced(tokens, piece, exact ? start + from : null, start, end)
      else tokens.push(exact ? { term: piece, start: start + from, end: start + to } : { term: piece, start, end })
    })
  })
  return tokens
}

/** Bigrams of a Han/Kana run, then its last character, each placed exactly when `at` is known. */
function pushUnspaced(tokens: Token[], run: string, at: number | null, start: number, end: number): void {
  let offset = at ?? start
  for (const term of unspacedTerms(run)) {
    tokens.push(at === null ? { term, start, end } : { term, start: offset, end: offset + term.length })
    offset += (term.codePointAt(0) ?? 0) > 0xffff ? 2 : 1
  }
}

/** Bigrams of a run and its last character alone. */
export function unspacedTerms(run: string): string[] {
  const chars = Array.from(run)
  return chars.map((char, i) => char + (chars[i + 1] ?? ''))
}

/** The runs of normalised text: words, and Han/Kana runs (not yet cut into bigrams). */
export function runsOf(normalised: string): { readonly unspaced: boolean; readonly text: string }[] {
  const runs: { unspaced: boolean; text: string }[] = []
  scan(normalised, false, (kind, start, end) => runs.push({ unspaced: kind === UNSPACED, text: normalised.slice(start, end) }))
  return runs
}

/** True when the term starts with a character written without spaces (a bigram or a lone Han/Kana). */
export function isUnspaced(term: string): boolean {
  return UNSPACED_CHAR.test(String.fromCodePoint(term.codePointAt(0) ?? 0))
}

/**
 * The index terms of `text` joined by spaces: what the full-text table is given. The same terms
 * as {@link tokenise} (a property test holds them together), without places, normalising the
 * whole text at once: several times faster, and indexing a million testimonies is mostly this.
 */
export function indexTerms(text: string): string {
  const folded = normalise(text)
  const terms: string[] = []
  scan(folded, false, (kind, start, end) => {
    const piece = folded.slice(start, end)
    if (kind === WORD) terms.push(piece)
    else for (const term of unspacedTerms(piece)) terms.push(term)
  })
  return terms.join(' ')
}
