import { AmanatError } from '../errors.ts'
import { codebookLanguages, codebookRef } from './codebook-lookup.ts'
import {
  Codebook,
  CodebookExtension,
  SECTION_NAMES,
  type CodeEntry,
  type SectionName,
} from './codebook.schema.ts'
import {
  problemAt,
  problemsFromIssues,
  readYaml,
  sourceError,
  type SourceProblem,
  type YamlSource,
} from './yaml-source.ts'

export * from './codebook-lookup.ts'
export type { SourceProblem } from './yaml-source.ts'

/**
 * Loading codebooks from YAML: the default (`packages/domain/codebook/default.yaml`) and an
 * organisation's extension of it. Browser-safe: the caller reads the file; this module sees text.
 *
 * Every refusal is an `input` {@link AmanatError} with code `codebook.invalid`, a message that
 * names the source, the line and the field of the first problem (`default.yaml line 42, field
 * sections.channels[3].labels.ug: missing the ug label`), and `details.problems` listing all of
 * them as `{ line, column, field, message }`.
 */

const INVALID = 'codebook.invalid'

/**
 * Parses and validates a whole codebook. `source` names the text in messages (a file's base
 * name, never a full path that could hold a user name). Returns a deeply frozen codebook. Throws
 * `codebook.invalid` for a YAML syntax error, any schema problem, or a file that `extends`
 * another codebook (those are loaded with {@link extendCodebook}).
 */
export function parseCodebook(text: string, source = 'codebook'): Codebook {
  const src = readYaml(text, source, INVALID)
  if (isRecord(src.value) && 'extends' in src.value) {
    throw sourceError(INVALID, source, [
      problemAt(
        src,
        ['extends'],
        'this file extends another codebook; load it with extendCodebook over its base',
        'key',
      ),
    ])
  }
  return deepFreeze(validate(src, source, src.value))
}

/**
 * Applies an organisation's extension (YAML text, see {@link CodebookExtension}) to `base` and
 * returns the merged codebook under the extension's own id and version, with `basedOn` set to
 * the base's reference. New codes are appended to their sections; codes listed under
 * `deprecate` are marked deprecated (they stay valid for old codings). Extra `languages` become
 * the merged book's `partialLanguages`: the new entries must be labelled in them, the inherited
 * ones are shown in English (see `labelOf`).
 *
 * Throws `codebook.invalid`, with line and field, when the text is not a valid extension, when
 * `extends` is not `base`'s reference, when the id is the base's own, when an added code already
 * exists (deprecated or not) or appears twice, when an added entry lacks a label in one of the
 * codebook's languages, or when `deprecate` names a code the base does not have.
 */
export function extendCodebook(base: Codebook, text: string, source = 'codebook extension'): Codebook {
  const src = readYaml(text, source, INVALID)
  const parsed = CodebookExtension.safeParse(src.value)
  if (!parsed.success) throw sourceError(INVALID, source, problemsFromIssues(src, parsed.error.issues))
  const ext = parsed.data
  const baseRef = codebookRef(base)
  const problems: SourceProblem[] = []

  if (ext.extends !== baseRef) {
    // Checked alone: against the wrong base, every other finding would be noise.
    const mismatch = `this file extends ${ext.extends}, but the codebook given is ${baseRef}`
    throw sourceError(INVALID, source, [problemAt(src, ['extends'], mismatch)])
  }
  if (ext.id === base.id) {
    problems.push(problemAt(src, ['id'], `an extension needs its own id, not ${base.id} (the base's)`))
  }
  const extra = (ext.languages ?? []).filter((lang) => !codebookLanguages(base).includes(lang))
  const required = [...codebookLanguages(base), ...extra]

  const sections = {} as Record<SectionName, CodeEntry[]>
  for (const name of SECTION_NAMES) {
    const deprecate = new Set(ext.deprecate?.[name] ?? [])
    ext.deprecate?.[name]?.forEach((code, index) => {
      if (!base.sections[name].some((entry) => entry.code === code)) {
        problems.push(
          problemAt(
            src,
            ['deprecate', name, index],
            `${name} of ${baseRef} has no code ${code} to deprecate`,
          ),
        )
      }
    })
    const added = ext.sections?.[name] ?? []
    problems.push(...additionProblems(src, base, name, added, required))
    sections[name] = [
      ...base.sections[name].map((entry) =>
        deprecate.has(entry.code) ? { ...entry, deprecated: true } : entry,
      ),
      ...added,
    ]
  }
  if (problems.length > 0) throw sourceError(INVALID, source, problems)

  const partial = [...(base.partialLanguages ?? []), ...extra]
  const merged = {
    id: ext.id,
    version: ext.version,
    languages: base.languages,
    ...(partial.length > 0 ? { partialLanguages: partial } : {}),
    basedOn: baseRef,
    sections,
  }
  const result = Codebook.safeParse(merged)
  if (!result.success) {
    // Every rule the merged book must meet was checked above in the file's own terms.
    throw new AmanatError('internal', 'codebook.merge_failed', 'The merged codebook failed validation.', {
      source,
      problems: result.error.issues.map((issue) => ({
        path: issue.path.map(String),
        message: issue.message,
      })),
    })
  }
  return deepFreeze(result.data)
}

function additionProblems(
  src: YamlSource,
  base: Codebook,
  name: SectionName,
  added: readonly CodeEntry[],
  required: readonly string[],
): SourceProblem[] {
  const problems: SourceProblem[] = []
  const seen = new Set<string>()
  added.forEach((entry, index) => {
    const at = ['sections', name, index]
    const existing = base.sections[name].find((e) => e.code === entry.code)
    if (existing !== undefined) {
      const state = existing.deprecated === true ? ' (deprecated there: a new meaning needs a new code)' : ''
      problems.push(
        problemAt(
          src,
          [...at, 'code'],
          `the code ${entry.code} already exists in ${name} of ${codebookRef(base)}${state}`,
        ),
      )
    } else if (seen.has(entry.code)) {
      problems.push(problemAt(src, [...at, 'code'], `the code ${entry.code} appears twice in ${name}`))
    }
    seen.add(entry.code)
    for (const lang of required) {
      if (entry.labels[lang] === undefined)
        problems.push(problemAt(src, [...at, 'labels', lang], `missing the ${lang} label`))
    }
    for (const [field, texts] of [
      ['labels', entry.labels],
      ['description', entry.description ?? {}],
    ] as const) {
      for (const lang of Object.keys(texts)) {
        if (!required.includes(lang)) {
          problems.push(
            problemAt(
              src,
              [...at, field, lang],
              `${lang} is not one of the codebook's languages (add it to languages)`,
              'key',
            ),
          )
        }
      }
    }
  })
  return problems
}

function validate(src: YamlSource, source: string, value: unknown): Codebook {
  const result = Codebook.safeParse(value)
  if (!result.success) throw sourceError(INVALID, source, problemsFromIssues(src, result.error.issues))
  return result.data
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// Codebooks are shared by every record coded against them; freezing turns an accidental edit
// into an immediate TypeError instead of a silent change of meaning.
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}
