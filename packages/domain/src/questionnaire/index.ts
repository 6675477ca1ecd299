/**
 * Questionnaires: the definition format authors write (docs/questionnaire-format.md), its
 * compilation against the codebook into what is signed and rendered, the answers a respondent
 * gives, the submission plaintext the page seals, and the mapping of a submission into the
 * domain model. Browser-safe: the page uses the schemas, `evaluateCondition`,
 * `visibleQuestions`, `pruneAnswers` and `validateAnswers`.
 */
export * from './text.ts'
export * from './question-id.ts'
export * from './condition.schema.ts'
export * from './mapping.ts'
export * from './question.schema.ts'
export * from './questionnaire.schema.ts'
export type { DocProblem } from './definition-rules.ts'
export type { DocPath } from './walk.ts'
export { QUESTIONNAIRE_INVALID, type QuestionnaireProblem } from './problems.ts'
export { compileQuestionnaire, compileReport, type CompileReport, type CodebookFallback } from './compile.ts'
export { missingTranslations, type MissingTranslation } from './translations.ts'
export { checkQuestionnaire, MAX_DEFINITION_BYTES, type QuestionnaireCheck } from './check.ts'
export * from './answers.schema.ts'
export * from './visibility.ts'
export * from './submission.schema.ts'
export * from './validate-answers.ts'
export * from './map-submission.ts'
