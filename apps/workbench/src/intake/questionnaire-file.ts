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
 * Reads and checks a questionnaire definition file against `codebook` (see `checkQuestionnaire`).
 *
 * @throws AmanatError input `questionnaire.not_found` when the file cannot be read; input
 *   `questionnaire.invalid` (the message names the file, line, column and path) when it is wrong.
 */
export function readQuestionnaireFile(name: string, codebook: Codebook): QuestionnaireCheck {
  const path = questionnairePath(name)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw inputError('questionnaire.not_found', `Cannot read the questionnaire file ${path}.`)
  }
  return checkQuestionnaire(text, codebook, basename(path))
}
