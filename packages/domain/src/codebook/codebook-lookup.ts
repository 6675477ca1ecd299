import { AmanatError } from '../errors.ts'
import type { Incident } from '../model/incident.ts'
import type { Relative } from '../model/relative.ts'
import type { Respondent } from '../model/respondent.ts'
import { Code } from '../model/schema-helpers.ts'
import { CodebookRef, type Codebook, type CodeEntry, type SectionName } from './codebook.schema.ts'

/**
 * Questions asked of a loaded codebook: is this code in that section, what is it called in
 * Uyghur, which codes may a coder pick today. Sections hold tens of codes, so lookups scan;
 * {@link checkCodes} indexes once per call because it may see a whole import.
 */

/** The reference every coding records: `<id>@<version>`. */
export function codebookRef(book: Codebook): CodebookRef {
  return CodebookRef.parse(`${book.id}@${book.version}`)
}

/**
 * Every language the codebook can be shown in: its full `languages` first, then languages an
 * extension added (whose inherited entries fall back to English).
 */
export function codebookLanguages(book: Codebook): readonly string[] {
  return [...book.languages, ...(book.partialLanguages ?? [])]
}

/** The entry for `code` in `section`, deprecated or not; undefined when the section has no such code. */
export function findCode(book: Codebook, section: SectionName, code: string): CodeEntry | undefined {
  return book.sections[section].find((entry) => entry.code === code)
}

/** True when `section` holds `code`. Deprecated codes count: old codings stay valid. */
export function hasCode(book: Codebook, section: SectionName, code: string): boolean {
  return findCode(book, section, code) !== undefined
}

/** The codes a coder may choose for new codings: the section without its deprecated entries, in file order. */
export function activeCodes(book: Codebook, section: SectionName): readonly CodeEntry[] {
  return book.sections[section].filter((entry) => entry.deprecated !== true)
}

/**
 * The label of `code` in `language`. Falls back to the language's primary tag (`zh-Hans` to
 * `zh`), then to English (entries inherited from a base codebook have no label in a language an
 * extension added), then to the code itself when the section has no such code. Never throws.
 */
export function labelOf(book: Codebook, section: SectionName, code: string, language: string): string {
  const labels = findCode(book, section, code)?.labels
  if (labels === undefined) return code
  return labels[language] ?? labels[language.split('-')[0] ?? language] ?? labels.en ?? code
}

/**
 * The entry for `code` in `section` (deprecated codes included). Throws an `input`
 * {@link AmanatError} `codebook.unknown_code` naming the section, and a close existing code when
 * one is within two edits, when the section has no such code.
 */
export function assertCode(book: Codebook, section: SectionName, code: string): CodeEntry {
  const entry = findCode(book, section, code)
  if (entry !== undefined) return entry
  throw unknownCode(book, section, code, null)
}

/** Records whose codes {@link checkCodes} checks. */
export interface CodedRecords {
  readonly respondents?: readonly Respondent[]
  readonly incidents?: readonly Incident[]
  readonly relatives?: readonly Relative[]
}

/**
 * Checks every code in `records` against `book`: a respondent's ethnicity and residence status,
 * and impacts, an incident's type, channel and perpetrator, a relative's relation and status. Empty (null)
 * codes are allowed; deprecated codes are valid. The `codebook` reference a record carries is not
 * compared: an extension keeps its base's codes. Throws a `codebook.unknown_code`
 * {@link AmanatError} on the first unknown code, with its path (`incidents[3].channel`) in the
 * message and details.
 */
export function checkCodes(book: Codebook, records: CodedRecords): void {
  const index = new Map<SectionName, ReadonlySet<string>>()
  const check = (section: SectionName, code: string | null, path: string) => {
    if (code === null) return
    let codes = index.get(section)
    if (codes === undefined) {
      codes = new Set(book.sections[section].map((entry) => entry.code))
      index.set(section, codes)
    }
    if (!codes.has(code)) throw unknownCode(book, section, code, path)
  }
  records.respondents?.forEach((r, i) => {
    check('ethnicities', r.ethnicity, `respondents[${i}].ethnicity`)
    check('residence_statuses', r.status, `respondents[${i}].status`)
    r.impacts.forEach((impact, j) => check('impacts', impact, `respondents[${i}].impacts[${j}]`))
  })
  records.incidents?.forEach((incident, i) => {
    check('harassment_types', incident.type, `incidents[${i}].type`)
    check('channels', incident.channel, `incidents[${i}].channel`)
    check('perpetrators', incident.perpetrator, `incidents[${i}].perpetrator`)
  })
  records.relatives?.forEach((relative, i) => {
    check('relations', relative.relation, `relatives[${i}].relation`)
    check('relative_statuses', relative.status, `relatives[${i}].status`)
  })
}

function unknownCode(book: Codebook, section: SectionName, code: string, path: string | null): AmanatError {
  const ref = codebookRef(book)
  // Echo the value only when it has the shape of a code: a mistyped field can hold a name.
  const shown = Code.safeParse(code).success ? code : null
  const suggestion = shown === null ? null : closestCode(book, section, code)
  const what =
    shown === null ? 'a value that is not a code (codes are lowercase snake_case)' : `the code ${shown}`
  const hint = suggestion === null ? '' : `; did you mean ${suggestion}?`
  const where = path === null ? '' : `${path}: `
  return new AmanatError(
    'input',
    'codebook.unknown_code',
    `${where}${what} is not in ${section} of codebook ${ref}${hint}`,
    { section, codebook: ref, code: shown, suggestion, ...(path === null ? {} : { path }) },
  )
}

/** The existing code nearest to `code` within two edits; active codes win ties, then file order. */
function closestCode(book: Codebook, section: SectionName, code: string): string | null {
  let best: { code: string; distance: number; active: boolean } | null = null
  for (const entry of book.sections[section]) {
    const distance = editDistance(code, entry.code, 2)
    if (distance > 2) continue
    const active = entry.deprecated !== true
    if (best === null || distance < best.distance || (distance === best.distance && active && !best.active)) {
      best = { code: entry.code, distance, active }
    }
  }
  return best?.code ?? null
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, the usual typo),
 * or `limit + 1` as soon as it must exceed `limit`.
 */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let before = new Array<number>(b.length + 1).fill(0)
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0)
    current[0] = i
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (before[j - 2] ?? 0) + 1)
      current[j] = d
      rowMin = Math.min(rowMin, d)
    }
    if (rowMin > limit) return limit + 1
    before = previous
    previous = current
  }
  return Math.min(previous[b.length] ?? limit + 1, limit + 1)
}
