import type { z } from 'zod'
import type { Codebook } from '../codebook/codebook.schema.ts'
import { compileReport } from './compile.ts'
import { CONDITION_OPS } from './condition.schema.ts'
import { type JsonSource, JsonSyntaxError, readJson } from './json-source.ts'
import { invalidQuestionnaire, pathText, type QuestionnaireProblem } from './problems.ts'
import { QUESTION_KINDS } from './question.schema.ts'
import { type Questionnaire, QuestionnaireDefinition } from './questionnaire.schema.ts'
import { type MissingTranslation, missingTranslations } from './translations.ts'
import type { DocPath } from './walk.ts'

/** What `amanat questionnaire check` reports for a questionnaire that passed. */
export interface QuestionnaireCheck {
  /** The compiled questionnaire, ready to sign and publish. */
  readonly questionnaire: Questionnaire
  /** Texts untranslated in a declared language (warnings: the page falls back to the default language). */
  readonly missingTranslations: readonly MissingTranslation[]
}

/** The largest definition file accepted; the default questionnaire is well under 100 KiB. */
export const MAX_DEFINITION_BYTES = 4 * 1024 * 1024

/**
 * Checks a questionnaire definition file: strict JSON, the schema, the rules, and compilation
 * against `codebook`. `source` names the file in messages (a base name, never a full path that
 * could hold a user name).
 *
 * Returns the compiled questionnaire and every missing translation. Throws an `input`
 * AmanatError `questionnaire.invalid` when the text is not JSON (line and column of the syntax
 * error), when it is larger than {@link MAX_DEFINITION_BYTES}, or when anything is wrong with it:
 * the message names the first problem's line, column and path
 * (`sections[2].items[4].options[1].label`), `details.problems` lists every problem as
 * `{ path, message, line, column }`.
 */
export function checkQuestionnaire(
  text: string,
  codebook: Codebook,
  source = 'questionnaire',
): QuestionnaireCheck {
  if (text.length > MAX_DEFINITION_BYTES) {
    throw invalidQuestionnaire(source, [
      { path: '(document)', message: 'the file is larger than 4 MiB', line: 1, column: 1 },
    ])
  }
  let src: JsonSource
  try {
    src = readJson(text)
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error
    throw invalidQuestionnaire(source, [
      {
        path: '(document)',
        message: `not valid JSON: ${error.reason}`,
        line: error.place.line,
        column: error.place.column,
      },
    ])
  }
  const parsed = QuestionnaireDefinition.safeParse(src.value)
  if (!parsed.success) throw invalidQuestionnaire(source, problemsFromIssues(src, parsed.error.issues))

  const report = compileReport(parsed.data, codebook)
  if (report.questionnaire === null) {
    throw invalidQuestionnaire(
      source,
      report.problems.map((p) => placed(src, p.path, p.message)),
    )
  }
  return {
    questionnaire: report.questionnaire,
    missingTranslations: [
      ...missingTranslations(parsed.data),
      ...report.fallbacks.map((f) => ({ path: pathText(f.path), language: f.language, code: f.code })),
    ],
  }
}

function problemsFromIssues(src: JsonSource, issues: readonly z.core.$ZodIssue[]): QuestionnaireProblem[] {
  const problems: QuestionnaireProblem[] = []
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)))
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push(placed(src, [...path, key], `unknown field ${key}`, 'key'))
    } else if (issue.code === 'invalid_key') {
      problems.push(
        placed(src, path, `not an allowed key: ${issue.issues[0]?.message ?? issue.message}`, 'key'),
      )
    } else if (issue.code === 'invalid_union' && issue.discriminator !== undefined) {
      const known = issue.discriminator === 'op' ? CONDITION_OPS : [...QUESTION_KINDS, 'group']
      const what = src.locate(path).found
        ? `unknown ${issue.discriminator}`
        : `missing ${issue.discriminator}`
      problems.push(placed(src, path, `${what}; expected one of ${known.join(', ')}`))
    } else if (issue.code === 'invalid_type' && !src.locate(path).found) {
      problems.push(placed(src, path, 'this field is missing'))
    } else {
      problems.push(placed(src, path, issue.message))
    }
  }
  return problems
}

function placed(
  src: JsonSource,
  path: DocPath,
  message: string,
  part: 'node' | 'key' = 'node',
): QuestionnaireProblem {
  const { line, column } = src.locate(path, part)
  return { path: pathText(path), message, line, column }
}
