import { AmanatError } from '../errors.ts'
import { formatPath } from '../model/schema-helpers.ts'
import type { DocPath } from './walk.ts'

/** The error code of every refused questionnaire (definition or compiled). */
export const QUESTIONNAIRE_INVALID = 'questionnaire.invalid'

/**
 * One problem with a questionnaire: the path of the field (`sections[2].items[4].options[1].label`,
 * or `(document)`), a plain message, and, when it came from a file, where in it.
 */
export interface QuestionnaireProblem {
  readonly path: string
  readonly message: string
  readonly line?: number
  readonly column?: number
}

/** The path as written in messages: `sections[2].items[4].label`, or `(document)` for the root. */
export function pathText(path: DocPath): string {
  return path.length === 0 ? '(document)' : formatPath(path)
}

/**
 * The refusal for a questionnaire with `problems`: an `input` {@link AmanatError}
 * `questionnaire.invalid` whose message names the first problem (source, line and column when
 * known, path) and counts the rest, and whose details hold `{ source, problems }` with all of them.
 */
export function invalidQuestionnaire(source: string, problems: readonly QuestionnaireProblem[]): AmanatError {
  const sorted = [...problems].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  )
  const first = sorted[0]
  if (first === undefined) {
    return new AmanatError('internal', 'internal.no_problems', 'A refusal was built without a reason.')
  }
  const more = sorted.length - 1
  const tail = more === 0 ? '' : ` (and ${more} more problem${more === 1 ? '' : 's'})`
  const where = first.line === undefined ? '' : ` line ${first.line}, column ${first.column ?? 1},`
  return new AmanatError(
    'input',
    QUESTIONNAIRE_INVALID,
    `${source}${where} at ${first.path}: ${first.message}${tail}`,
    {
      source,
      problems: sorted,
    },
  )
}
