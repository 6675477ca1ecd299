import { usageError } from '@amanat/domain'
import { normalise } from './normalise.ts'
import { runsOf, unspacedTerms } from './tokenise.ts'

/**
 * What an analyst types, as FTS5 sees it. The grammar is small on purpose:
 *
 * - Words are all required (AND). Each is normalised like the text (normalise.ts).
 * - **Prefix rule** (Uyghur and Turkish add suffixes to a stem: ساقچى → ساقچىلار, İstanbul →
 *   İstanbul'dan): a bare word of three or more letters also matches every longer word that
 *   starts with it. A word ending in `*` is a prefix from two letters. Words in double quotes are
 *   matched exactly.
 * - `"…"` is a phrase: its words in that order, next to each other; `"…"*` lets its last word be
 *   a prefix.
 * - Chinese and Japanese (no spaces): any run of two or more characters is a substring search (a
 *   phrase of the run's bigrams, see tokenise.ts); a single character matches every term that
 *   starts with it.
 *
 * Nothing the analyst types reaches FTS5 as syntax: every term is a normalised run of letters and
 * digits inside double quotes.
 */

/** One required unit: a sequence of adjacent terms, the last one possibly a prefix. */
export interface QueryUnit {
  readonly terms: readonly string[]
  readonly prefix: boolean
}

/** At most this many units, so a pasted paragraph cannot make a query that runs for minutes. */
const MAX_UNITS = 32
const AUTO_PREFIX_LETTERS = 3
const EXPLICIT_PREFIX_LETTERS = 2

/** Parses a query into units. An empty result means the query held nothing searchable. */
export function parseQuery(query: string): QueryUnit[] {
  const units: QueryUnit[] = []
  for (const match of query.matchAll(/"([^"]*)("?)(\*?)|([^\s"]+)/g)) {
    const phrase = match[1]
    const unit =
      phrase !== undefined
        ? unitOf(phrase, { quoted: true, star: match[3] === '*' })
        : unitOf((match[4] ?? '').replace(/\*+$/, ''), { quoted: false, star: (match[4] ?? '').endsWith('*') })
    if (unit !== null) units.push(unit)
  }
  if (units.length > MAX_UNITS) {
    throw usageError('search.query_too_long', `A search can hold at most ${String(MAX_UNITS)} words or phrases.`)
  }
  return units
}

function unitOf(text: string, how: { readonly quoted: boolean; readonly star: boolean }): QueryUnit | null {
  const runs = runsOf(normalise(text))
  const last = runs.at(-1)
  if (last === undefined) return null
  const terms: string[] = []
  runs.forEach((run, i) => {
    if (!run.unspaced) terms.push(run.text)
    // A run that ends before the query does also ends in the text: keep its closing unigram.
    else if (i < runs.length - 1) terms.push(...unspacedTerms(run.text))
    else terms.push(...(Array.from(run.text).length === 1 ? [run.text] : unspacedTerms(run.text).slice(0, -1)))
  })
  const letters = Array.from(last.text).length
  const prefix = last.unspaced
    ? letters === 1
    : how.star
      ? letters >= EXPLICIT_PREFIX_LETTERS
      : !how.quoted && letters >= AUTO_PREFIX_LETTERS
  return { terms, prefix }
}

/** The units as an FTS5 expression over the text column. */
export function textExpression(units: readonly QueryUnit[]): string {
  const parts = units.map((unit) => `"${unit.terms.join(' ')}"${unit.prefix ? ' *' : ''}`)
  return `body : (${parts.join(' AND ')})`
}

/** True when `term` (an index term) is matched by some unit: to mark matches in snippets. */
export function matchesAny(units: readonly QueryUnit[], term: string): boolean {
  return units.some((unit) =>
    unit.terms.some((t, i) => (unit.prefix && i === unit.terms.length - 1 ? term.startsWith(t) : term === t)),
  )
}
