import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml'
import type { z } from 'zod'
import { AmanatError } from '../errors.ts'
import { formatPath } from '../model/schema-helpers.ts'

/**
 * YAML files that can say where a value came from, so a refusal names the line and the field a
 * person has to fix instead of a path into parsed data. Used by the codebook loader; knows
 * nothing about codebooks.
 */

/** One thing wrong in a source file: 1-based line and column, the field's path, a plain message. */
export interface SourceProblem {
  readonly line: number
  readonly column: number
  readonly field: string
  readonly message: string
}

type Path = readonly PropertyKey[]

interface Place {
  readonly line: number
  readonly column: number
  /** False when nothing is written at the path: the place is then its nearest written ancestor. */
  readonly found: boolean
}

/** A parsed YAML document and the positions of its nodes. */
export interface YamlSource {
  /** The document as plain data (maps become objects, sequences arrays). */
  readonly value: unknown
  /**
   * Where the value at `path` is written: a scalar where it stands, a mapping or list at the line
   * of its key, a list item at its dash. With `part: 'key'`, the key of the last segment. A path
   * that is not written (a missing field) gives its nearest ancestor, with `found: false`.
   */
  locate(path: Path, part?: 'node' | 'key'): Place
}

// yaml's resource-exhaustion guard for `*alias` expansion, lowered: a codebook needs no aliases.
const MAX_ALIAS_COUNT = 20

/**
 * Parses one YAML document. Throws an `input` {@link AmanatError} with `code` (the caller's, such
 * as `codebook.invalid`) when the text is not well-formed YAML, naming the line of every error.
 */
export function readYaml(text: string, source: string, code: string): YamlSource {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const placeOf = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error) => {
      // An error placed on a line break is about what follows it (a tab-indented line, say).
      const offset = text[error.pos[0]] === '\n' ? error.pos[0] + 1 : error.pos[0]
      return {
        ...placeOf(offset),
        field: fieldAt(doc, offset, error.code),
        message: syntaxMessage(error.code, error.message),
      }
    })
    // yaml reports the cause first and the confusion it caused after, so keep its order.
    throw sourceError(code, source, problems, { inFileOrder: false })
  }
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch {
    // yaml throws a ReferenceError when aliases expand past the limit (a "billion laughs" file).
    throw sourceError(code, source, [
      { line: 1, column: 1, field: '(document)', message: 'too many aliases (*name); write the values out' },
    ])
  }
  return {
    value,
    locate(path, part = 'node') {
      let node: unknown = doc.contents
      let offset = startOf(node) ?? 0
      for (const [index, segment] of path.entries()) {
        if (isMap(node)) {
          const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment))
          if (pair === undefined) return { ...placeOf(offset), found: false }
          const keyStart = startOf(pair.key) ?? offset
          if (part === 'key' && index === path.length - 1) return { ...placeOf(keyStart), found: true }
          node = pair.value
          // An empty value (`labels:`) has no text of its own: point at its key.
          const written = isScalar(node) && !(node.value === null && node.source === '')
          offset = written ? (startOf(node) ?? keyStart) : keyStart
        } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
          node = node.items[segment]
          offset = startOf(node) ?? offset
        } else {
          return { ...placeOf(offset), found: false }
        }
      }
      return { ...placeOf(offset), found: true }
    },
  }
}

/** Turns schema issues into problems placed in `src`, one per issue (one per unknown key). */
export function problemsFromIssues(src: YamlSource, issues: readonly z.core.$ZodIssue[]): SourceProblem[] {
  const problems: SourceProblem[] = []
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...issue.path, key]
        problems.push(placed(path, src.locate(path, 'key'), `unknown field ${key}`))
      }
    } else if (issue.code === 'invalid_key') {
      const reason = issue.issues[0]?.message ?? issue.message
      problems.push(placed(issue.path, src.locate(issue.path, 'key'), `not an allowed key: ${reason}`))
    } else {
      const place = src.locate(issue.path)
      problems.push(
        placed(issue.path, place, describeIssue(issue, place.found, valueAt(src.value, issue.path))),
      )
    }
  }
  return problems
}

/** A problem placed at `path` in `src`, with a message. */
export function problemAt(
  src: YamlSource,
  path: Path,
  message: string,
  part: 'node' | 'key' = 'node',
): SourceProblem {
  return placed(path, src.locate(path, part), message)
}

/**
 * The refusal for a file with `problems`: an `input` {@link AmanatError} whose message names the
 * first problem (source, line, field) and counts the others, and whose details hold
 * `{ source, problems }` with every problem. Problems are put in file order unless `inFileOrder`
 * is false (syntax errors, where the first reported is the cause).
 */
export function sourceError(
  code: string,
  source: string,
  problems: readonly SourceProblem[],
  { inFileOrder = true }: { inFileOrder?: boolean } = {},
): AmanatError {
  const sorted = inFileOrder ? [...problems].sort((a, b) => a.line - b.line || a.column - b.column) : problems
  const first = sorted[0]
  if (first === undefined)
    throw new AmanatError('internal', 'internal.no_problems', 'A refusal was built without a reason.')
  const more = sorted.length - 1
  const tail = more === 0 ? '' : ` (and ${more} more problem${more === 1 ? '' : 's'})`
  return new AmanatError(
    'input',
    code,
    `${source} line ${first.line}, field ${first.field}: ${first.message}${tail}`,
    {
      source,
      problems: sorted,
    },
  )
}

function placed(path: Path, place: Place, message: string): SourceProblem {
  return {
    line: place.line,
    column: place.column,
    field: path.length === 0 ? '(document)' : formatPath(path),
    message,
  }
}

function startOf(node: unknown): number | undefined {
  return isNode(node) && node.range ? node.range[0] : undefined
}

/** The end of the node's own text, before any trailing comment or blank lines. */
function endOf(node: unknown): number | undefined {
  return isNode(node) && node.range ? node.range[1] : undefined
}

/**
 * The path of the deepest key or item whose text spans `offset`, for syntax errors. An error at
 * the very start of a key belongs to the enclosing field (the parser could not read that key),
 * except a duplicate key, which is the error's subject.
 */
function fieldAt(doc: Document, offset: number, code: string): string {
  const path: PropertyKey[] = []
  const within = (start: number | undefined, end: number | undefined) => {
    if (start === undefined || end === undefined || offset > end) return false
    return code === 'DUPLICATE_KEY' ? start <= offset : start < offset
  }
  let node: unknown = doc.contents
  descend: for (;;) {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isScalar(pair.key) && within(startOf(pair.key), endOf(pair.value) ?? endOf(pair.key))) {
          path.push(String(pair.key.value))
          node = pair.value
          continue descend
        }
      }
    } else if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) {
        if (within(startOf(item), endOf(item))) {
          path.push(index)
          node = item
          continue descend
        }
      }
    }
    break
  }
  return path.length === 0 ? '(document)' : formatPath(path)
}

function syntaxMessage(code: string, message: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'this key appears twice in the same mapping'
    case 'MULTIPLE_DOCS':
      return 'the file holds more than one YAML document (remove the extra ---)'
    default:
      return `not valid YAML: ${message}`
  }
}

function valueAt(root: unknown, path: Path): unknown {
  let value = root
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<PropertyKey, unknown>)[segment]
  }
  return value
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of fields',
  record: 'a mapping of fields',
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'string') return 'text'
  if (typeof value === 'number') return 'a number'
  if (typeof value === 'boolean') return `${String(value)} (true or false)`
  return 'a mapping of fields'
}

// zod's default messages ("Too small: expected string to have >=1 characters") read as
// programmer talk; a schema's own messages ("a label cannot be empty") are kept as written.
const DEFAULT_MESSAGE = /^(Invalid input|Too small|Too big|Invalid option)\b/

function describeIssue(issue: z.core.$ZodIssue, found: boolean, actual: unknown): string {
  if (issue.code === 'invalid_type') {
    const expected = TYPE_NAMES[issue.expected] ?? issue.expected
    if (!found) return `missing (expected ${expected})`
    // 1.0 or 2019 read as numbers; quoting keeps them text.
    const hint = issue.expected === 'string' && typeof actual === 'number' ? ' (write it in quotes)' : ''
    return `expected ${expected}, got ${describeValue(actual)}${hint}`
  }
  if (!DEFAULT_MESSAGE.test(issue.message)) return issue.message
  if (issue.code === 'too_small' && issue.origin === 'array') {
    return `needs at least ${String(issue.minimum)} ${issue.minimum === 1 ? 'entry' : 'entries'}`
  }
  if (issue.code === 'too_small' && issue.origin === 'string') {
    return issue.minimum === 1 ? 'cannot be empty' : `needs at least ${String(issue.minimum)} characters`
  }
  if (issue.code === 'too_big' && issue.origin === 'array')
    return `has more than ${String(issue.maximum)} entries`
  if (issue.code === 'too_big' && issue.origin === 'string')
    return `is longer than ${String(issue.maximum)} characters`
  if (issue.code === 'invalid_union') return 'does not match any of the allowed forms'
  return issue.message
}
