import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { checkQuestionnaire, inputError, type Codebook, type QuestionnaireCheck } from '@amanat/domain'
import { REPO_PATHS } from './repo-paths.ts'

/** The word that names the default questionnaire on the command line. */
export const DEFAULT_QUESTIONNAIRE = 'default'

/** The file `name` stands for: the default questionnaire for `default`, else the path as given. */
export function questionnairePath(name: string): string {
  return name === DEFAULT_QUESTIONNAIRE ? REPO_PATHS.defaultQuestionnaire : name
}

/**
 * Reads and checks a questionnaire definition file (see `checkQuestionnaire`) against the codebook
 * it is written for when `held` has it (a workspace keeps every version it adopted: a
 * questionnaire written before a recode is still published and answered under its version),
 * otherwise against `codebook`, which must then be that version or extend it.
 *
 * @throws AmanatError input `questionnaire.not_found` when the file cannot be read; input
 *   `questionnaire.invalid` (the message names the file, line, column and path) when it is wrong.
 */
export function readQuestionnaireFile(
  name: string,
  codebook: Codebook,
  held: ReadonlyMap<string, Codebook> = new Map(),
): QuestionnaireCheck {
  const path = questionnairePath(name)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw inputError('questionnaire.not_found', `Cannot read the questionnaire file ${path}.`)
  }
  return checkQuestionnaire(text, held.get(writtenFor(text) ?? '') ?? codebook, basename(path))
}

/** The codebook a definition names, or null when the text does not say (the check then says what is wrong). */
function writtenFor(text: string): string | null {
  try {
    const definition: unknown = JSON.parse(text)
    return typeof definition === 'object' &&
      definition !== null &&
      'codebook' in definition &&
      typeof definition.codebook === 'string'
      ? definition.codebook
      : null
  } catch {
    return null
  }
}
