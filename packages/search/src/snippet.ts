import type { DocumentText } from './documents.ts'
import { matchesAny, type QueryUnit } from './query.ts'
import { tokenise } from './tokenise.ts'

/**
 * A short excerpt of a result around its first match, with the matched words marked by offsets
 * (never by markup: the UI escapes the text and draws the marks, so a testimony can never inject
 * HTML). Built from the store's text at query time: the index keeps terms only, not the text.
 */
export interface Snippet {
  readonly field: DocumentText['field']
  readonly text: string
  /** `[start, end)` UTF-16 offsets into `text`, in order, not overlapping. */
  readonly marks: readonly (readonly [number, number])[]
}

const BEFORE = 60
const AFTER = 140

/**
 * The snippet of the first text holding a match; for a filter-only search (no units), the start of
 * the first text. Null when the document has no text.
 */
export function snippetOf(texts: readonly DocumentText[], units: readonly QueryUnit[]): Snippet | null {
  for (const { field, text } of texts) {
    const hits = tokenise(text).filter((token) => matchesAny(units, token.term))
    const first = hits[0]
    if (first === undefined) continue
    const from = wordStart(text, Math.max(0, first.start - BEFORE))
    const to = wordEnd(text, Math.min(text.length, first.start + AFTER))
    const marks: [number, number][] = []
    for (const hit of hits) {
      if (hit.end > to) break
      const start = hit.start - from
      const end = hit.end - from
      const previous = marks.at(-1)
      if (previous !== undefined && start <= previous[1]) previous[1] = Math.max(previous[1], end)
      else marks.push([start, end])
    }
    return { field, text: ellipsis(text, from, to), marks: shift(marks, from > 0 ? 1 : 0) }
  }
  const first = texts.find((t) => t.text.trim() !== '')
  if (first === undefined) return null
  const to = wordEnd(first.text, Math.min(first.text.length, BEFORE + AFTER))
  return { field: first.field, text: ellipsis(first.text, 0, to), marks: [] }
}

/** Moves back to the start of the word `at` falls in, so a snippet never starts mid-word. */
function wordStart(text: string, at: number): number {
  const space = text.lastIndexOf(' ', at)
  return at === 0 || space < 0 || at - space > 20 ? at : space + 1
}

function wordEnd(text: string, at: number): number {
  const space = text.indexOf(' ', at)
  return at >= text.length || space < 0 || space - at > 20 ? at : space
}

function ellipsis(text: string, from: number, to: number): string {
  return `${from > 0 ? '…' : ''}${text.slice(from, to).replace(/\s/g, ' ')}${to < text.length ? '…' : ''}`
}

function shift(marks: [number, number][], by: number): [number, number][] {
  return marks.map(([start, end]) => [start + by, end + by])
}
