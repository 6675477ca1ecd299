import { readFileSync } from 'node:fs'
import { compileQuestionnaire, parseCodebook, Questionnaire, QuestionnaireDefinition } from '@amanat/domain'

/**
 * Questionnaires for the page's tests: the project's default questionnaire, compiled against the
 * default codebook, and small ones written with builders (STYLE.md rule 17).
 */

const DEFAULT_DEFINITION = new URL('../../../../packages/domain/questionnaires/default.json', import.meta.url)
const DEFAULT_CODEBOOK = new URL('../../../../packages/domain/codebook/default.yaml', import.meta.url)

/** The default questionnaire, compiled (what `amanat publish` would sign). */
export function defaultQuestionnaire(): Questionnaire {
  const definition = QuestionnaireDefinition.parse(JSON.parse(readFileSync(DEFAULT_DEFINITION, 'utf8')))
  return compileQuestionnaire(definition, parseCodebook(readFileSync(DEFAULT_CODEBOOK, 'utf8'), 'default.yaml'))
}

type Json = Record<string, unknown>

/** Text in the four languages the page ships with (the same words: tests are not about translation). */
export const all = (text: string): Json => ({ en: text, ug: `ئۇيغۇرچە ${text}`, zh: `中文 ${text}`, tr: `Türkçe ${text}` })

/** A compiled questionnaire with the given sections, in English, Uyghur, Chinese and Turkish. */
export function questionnaire(id: string, ...sections: Json[]): Questionnaire {
  return Questionnaire.parse({
    format: 'amanat-questionnaire/1',
    id,
    version: '1.0.0',
    languages: ['en', 'ug', 'zh', 'tr'],
    codebook: 'amanat-default@1.0.0',
    title: all('A synthetic test questionnaire'),
    sections,
  })
}

export const section = (title: string, ...items: Json[]): Json => ({ title: all(title), items })
export const q = (id: string, kind: string, extra: Json = {}): Json => ({ id, kind, label: all(`Question ${id}`), ...extra })
export const shortText = (id: string, extra: Json = {}) => q(id, 'short_text', extra)
export const longText = (id: string, extra: Json = {}) => q(id, 'long_text', extra)
export const yesNo = (id: string, extra: Json = {}) => q(id, 'yes_no', extra)
export const attachment = (id: string, extra: Json = {}) =>
  q(id, 'attachment', { accept: ['image/*', 'application/pdf'], maxFiles: 3, maxBytes: 25 * 1024 * 1024, ...extra })
export const choice = (id: string, values: readonly string[], extra: Json = {}) =>
  q(id, 'single_choice', { options: values.map((value) => ({ value, label: all(`Option ${value}`) })), ...extra })
