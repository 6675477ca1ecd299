import { hash } from 'node:crypto'
import { IncidentId, RespondentId, seededId, TestimonyId } from '@amanat/domain'
import type { z } from 'zod'
import type { CodedRow, IncidentPart, RespondentPart, RowProblem } from './coded-row.ts'

/**
 * Gathers a file's rows into respondents, in one pass, checking what only the whole file shows:
 * a respondent's rows agree on the respondent's columns, an `incident_key` is used once per
 * respondent, a respondent without incidents has exactly one row.
 *
 * Ids are derived, not random, so that importing the same file again names the same records and
 * changes nothing: the respondent's and the testimony's from the respondent key, an incident's
 * from the respondent key and its `incident_key`, or, without one, from its cells and how many
 * identical rows came before it. (docs/decisions/0014-coded-data-import.md says why.)
 */
export interface RespondentDraft {
  readonly key: string
  readonly firstLine: number
  readonly respondent: RespondentPart
  readonly respondentCells: string
  readonly incidents: { readonly id: IncidentId; readonly line: number; readonly incident: IncidentPart }[]
  /** A row without an incident was seen. */
  bare: boolean
}

/** At most this many incidents per respondent: the limit of one `testimony.imported` event. */
export const MAX_INCIDENTS_PER_RESPONDENT = 500

export class ImportGrouping {
  readonly #respondents = new Map<string, RespondentDraft>()
  /** The line of each incident named by an `incident_key`, by its id: a key used twice is refused. */
  readonly #keyedLines = new Map<IncidentId, number>()
  /**
   * How many rows with the same incident cells a respondent has had, by the id the first of them
   * got: ids already held, where a map of cell strings per respondent would hold every row's
   * cells a second time (a quarter of the memory of a million-row import).
   */
  readonly #copies = new Map<IncidentId, number>()

  /** Adds a parsed row; returns why it cannot join its respondent, or null. */
  add(row: CodedRow): RowProblem | null {
    const key = row.respondent.key
    let draft = this.#respondents.get(key)
    if (draft === undefined) {
      draft = {
        key,
        firstLine: row.line,
        respondent: row.respondent,
        respondentCells: row.respondentCells,
        incidents: [],
        bare: false,
      }
      this.#respondents.set(key, draft)
    } else if (draft.respondentCells !== row.respondentCells) {
      return problem(
        row,
        `the respondent's columns differ from their first row (line ${String(draft.firstLine)}); every row of ${key} must repeat them`,
      )
    }
    if (row.incident === null) {
      if (draft.bare || draft.incidents.length > 0)
        return problem(row, `a row without an incident for ${key}, who already has rows; leave it out`)
      draft.bare = true
      return null
    }
    if (draft.bare)
      return problem(
        row,
        `${key} has a row without an incident (line ${String(draft.firstLine)}); remove that row when they have incidents`,
      )
    if (draft.incidents.length >= MAX_INCIDENTS_PER_RESPONDENT) {
      return problem(
        row,
        `${key} has more than ${String(MAX_INCIDENTS_PER_RESPONDENT)} incidents; the format takes at most that many per respondent`,
      )
    }
    let id: IncidentId
    if (row.incidentKey !== null) {
      id = derivedId(IncidentId, 'incident-key', key, row.incidentKey)
      const earlier = this.#keyedLines.get(id)
      if (earlier !== undefined)
        return problem(row, `incident_key: used twice for ${key} (also line ${String(earlier)})`)
      this.#keyedLines.set(id, row.line)
    } else {
      const first = derivedId(IncidentId, 'incident-cells', key, row.incidentCells, '0')
      const seen = this.#copies.get(first) ?? 0
      this.#copies.set(first, seen + 1)
      id = seen === 0 ? first : derivedId(IncidentId, 'incident-cells', key, row.incidentCells, String(seen))
    }
    draft.incidents.push({ id, line: row.line, incident: row.incident })
    return null
  }

  /** The respondents in the order the file first names them; the grouping forgets them and is spent. */
  finish(): RespondentDraft[] {
    const drafts = [...this.#respondents.values()]
    this.#respondents.clear()
    this.#keyedLines.clear()
    this.#copies.clear()
    return drafts
  }
}

function problem(row: CodedRow, message: string): RowProblem {
  return { line: row.line, message }
}

/** The respondent id an import gives the respondent `key` when the workspace has no one by that key. */
export function importedRespondentId(key: string): RespondentId {
  return derivedId(RespondentId, 'respondent', key)
}

/** The one testimony that holds what imports said about the respondent `key`. */
export function importedTestimonyId(key: string): TestimonyId {
  return derivedId(TestimonyId, 'testimony', key)
}

/** 128 bits of SHA-256 over the parts, domain-separated, as an id of `schema`'s brand. */
function derivedId<S extends z.ZodType<string>>(schema: S, ...parts: string[]): z.infer<S> {
  const digest = hash('sha256', ['amanat-import/1', ...parts].join('\u0000'), 'buffer')
  return seededId(schema, () => digest.subarray(0, 16))
}
