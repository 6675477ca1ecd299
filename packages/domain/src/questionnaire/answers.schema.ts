import { z } from 'zod'
import { PartialDate } from '../model/partial-date.ts'
import { QuestionKey } from './question-id.ts'
import { QUESTION_LIMITS } from './question.schema.ts'

/**
 * A respondent's answers, keyed by question id. The shape of each value follows the question's
 * kind (docs/questionnaire-format.md, "Answers"):
 *
 * | kind | value |
 * | --- | --- |
 * | short_text, long_text | string |
 * | single_choice | the option's value |
 * | multiple_choice | the chosen values, no repeats |
 * | country | an ISO 3166-1 alpha-2 code (`TR`) |
 * | date | a `PartialDate` (`{ precision: 'month', value: '2019-03' }`) |
 * | number | a finite number |
 * | yes_no | true or false |
 * | attachment | the upload ids of the files, listed in the submission's `attachments` |
 * | group | an array of instances, each an object of its items' answers |
 *
 * This schema checks only the shape; `validateAnswers` checks values against the questionnaire.
 * A blank string and an empty list count as no answer.
 */
export const ScalarAnswer = z.union([
  z.string().max(QUESTION_LIMITS.longTextMax),
  z.number().refine(Number.isFinite, { error: 'expected a finite number' }),
  z.boolean(),
  z.array(z.string().max(200)).max(QUESTION_LIMITS.options),
  PartialDate,
])
export type ScalarAnswer = z.infer<typeof ScalarAnswer>

/** One instance of a repeatable group: its items' answers. */
export const GroupInstance = z.record(QuestionKey, ScalarAnswer)
export type GroupInstance = z.infer<typeof GroupInstance>

/** An answer to one question or group. */
export const AnswerValue = z.union([ScalarAnswer, z.array(GroupInstance).max(QUESTION_LIMITS.groupInstances)])
export type AnswerValue = z.infer<typeof AnswerValue>

/** A respondent's answers by question id. */
export const Answers = z.record(QuestionKey, AnswerValue)
export type Answers = z.infer<typeof Answers>

/** True when `value` counts as an answer: present, and not a blank string or an empty list. */
export function isAnswered(value: AnswerValue | undefined): boolean {
  if (value === undefined) return false
  if (typeof value === 'string') return value.trim() !== ''
  if (Array.isArray(value)) return value.length > 0
  return true
}
