import { isCountryCode } from '../model/country.ts'
import { PartialDate } from '../model/partial-date.ts'
import { UploadId } from '../intake/wire.ts'
import { type Answers, type AnswerValue, type GroupInstance, isAnswered } from './answers.schema.ts'
import type { Question } from './question.schema.ts'
import type { Questionnaire } from './questionnaire.schema.ts'
import type { AttachmentRef, SubmissionPlaintext } from './submission.schema.ts'
import { evaluateCondition } from './visibility.ts'

/** The kinds of problem an answer set can have. */
export const ANSWER_PROBLEMS = [
  'unknown_question',
  'hidden',
  'required',
  'wrong_type',
  'not_an_option',
  'duplicate',
  'too_long',
  'too_few',
  'too_many',
  'out_of_range',
  'not_whole',
  'precision',
  'unknown_country',
  'unknown_attachment',
  'attachment_type',
  'attachment_too_large',
  'unreferenced_attachment',
  'wrong_questionnaire',
  'unknown_language',
] as const
export type AnswerProblemKind = (typeof ANSWER_PROBLEMS)[number]

/**
 * One thing wrong with an answer set. `path` names the answer (`home_country`,
 * `incidents[1].incident_type`); the message never repeats what the respondent wrote.
 */
export interface AnswerProblem {
  readonly path: string
  readonly problem: AnswerProblemKind
  readonly message: string
}

/**
 * Checks `answers` against `questionnaire`: every key is a question; questions hidden by their
 * condition have no answer; required questions that are shown are answered; every value has the
 * shape of its kind, is among the options, and within the lengths, counts and ranges the question
 * sets. When `attachments` (the submission's list) is given, attachment answers must reference
 * files in it, of an accepted type and size. Hiding cascades as in `visibleQuestions`.
 *
 * Returns every problem in document order; an empty list means the answers are valid. Never throws.
 */
export function validateAnswers(
  questionnaire: Questionnaire,
  answers: Answers,
  attachments?: readonly AttachmentRef[],
): AnswerProblem[] {
  const problems: AnswerProblem[] = []
  const add = (path: string, problem: AnswerProblemKind, message: string) =>
    problems.push({ path, problem, message })
  const files =
    attachments === undefined ? undefined : new Map(attachments.map((a) => [a.upload as string, a]))
  const visibleAnswers: Record<string, AnswerValue> = {}
  const known = new Set<string>()

  for (const section of questionnaire.sections) {
    for (const item of section.items) {
      known.add(item.id)
      const value = answers[item.id]
      const shown = item.showIf === undefined || evaluateCondition(item.showIf, visibleAnswers)
      if (!shown) {
        if (isAnswered(value)) add(item.id, 'hidden', 'answered, but the question is hidden by its condition')
        continue
      }
      if (!isAnswered(value)) {
        if (item.required) add(item.id, 'required', 'a required question has no answer')
        continue
      }
      if (value === undefined) continue
      visibleAnswers[item.id] = value
      if (item.kind !== 'group') {
        checkValue(item, value, item.id, add, files)
        continue
      }
      if (!Array.isArray(value) || !value.every(isInstance)) {
        add(item.id, 'wrong_type', 'expected a list of group instances')
        continue
      }
      if (value.length < item.min) add(item.id, 'too_few', `at least ${item.min} needed`)
      if (value.length > item.max) add(item.id, 'too_many', `at most ${item.max} allowed`)
      const ids = new Set(item.items.map((q) => q.id as string))
      value.forEach((instance, k) => {
        const at = `${item.id}[${k}]`
        for (const key of Object.keys(instance)) {
          if (!ids.has(key)) add(`${at}.${key}`, 'unknown_question', 'not a question of this group')
        }
        const shownInInstance: GroupInstance = {}
        for (const q of item.items) {
          const answer = instance[q.id]
          const path = `${at}.${q.id}`
          if (q.showIf !== undefined && !evaluateCondition(q.showIf, visibleAnswers, shownInInstance)) {
            if (isAnswered(answer))
              add(path, 'hidden', 'answered, but the question is hidden by its condition')
            continue
          }
          if (answer === undefined || !isAnswered(answer)) {
            if (q.required) add(path, 'required', 'a required question has no answer')
            continue
          }
          shownInInstance[q.id] = answer
          checkValue(q, answer, path, add, files)
        }
      })
    }
  }
  for (const key of Object.keys(answers)) {
    if (!known.has(key))
      add(key, 'unknown_question', 'not a question of this questionnaire (or inside a group)')
  }
  return problems
}

/**
 * Checks a decrypted submission against the questionnaire it claims to answer: the id and
 * version match, the language is one the questionnaire offers, the answers pass
 * {@link validateAnswers} with its attachments, and every attachment is referenced by exactly one
 * attachment answer. Returns every problem; empty means valid. Never throws.
 */
export function validateSubmission(
  questionnaire: Questionnaire,
  plaintext: SubmissionPlaintext,
): AnswerProblem[] {
  const problems: AnswerProblem[] = []
  if (
    plaintext.questionnaireId !== questionnaire.id ||
    plaintext.questionnaireVersion !== questionnaire.version
  ) {
    problems.push({
      path: 'questionnaireId',
      problem: 'wrong_questionnaire',
      message: `answers ${plaintext.questionnaireId}@${plaintext.questionnaireVersion}, not ${questionnaire.id}@${questionnaire.version}`,
    })
    return problems
  }
  if (!questionnaire.languages.includes(plaintext.language)) {
    problems.push({
      path: 'language',
      problem: 'unknown_language',
      message: "not one of the questionnaire's languages",
    })
  }
  problems.push(...validateAnswers(questionnaire, plaintext.answers, plaintext.attachments))

  const references = new Map<string, number>()
  forEachAttachmentAnswer(questionnaire, plaintext.answers, (uploads) => {
    for (const upload of uploads) references.set(upload, (references.get(upload) ?? 0) + 1)
  })
  plaintext.attachments.forEach((attachment, k) => {
    const count = references.get(attachment.upload) ?? 0
    if (count === 0)
      problems.push({
        path: `attachments[${k}]`,
        problem: 'unreferenced_attachment',
        message: 'no answer refers to this file',
      })
    if (count > 1)
      problems.push({
        path: `attachments[${k}]`,
        problem: 'duplicate',
        message: 'more than one answer refers to this file',
      })
  })
  return problems
}

/** Calls `visit` with the upload ids of every attachment answer, top-level and in groups. */
export function forEachAttachmentAnswer(
  questionnaire: Questionnaire,
  answers: Answers,
  visit: (uploads: readonly string[]) => void,
): void {
  for (const section of questionnaire.sections) {
    for (const item of section.items) {
      const value = answers[item.id]
      if (item.kind === 'attachment' && Array.isArray(value))
        visit(value.filter((v) => typeof v === 'string'))
      if (item.kind !== 'group' || !Array.isArray(value)) continue
      for (const instance of value) {
        if (!isInstance(instance)) continue
        for (const q of item.items) {
          const inner = instance[q.id]
          if (q.kind === 'attachment' && Array.isArray(inner)) visit(inner)
        }
      }
    }
  }
}

type Add = (path: string, problem: AnswerProblemKind, message: string) => void

function checkValue(
  q: Question,
  value: AnswerValue,
  path: string,
  add: Add,
  files: ReadonlyMap<string, AttachmentRef> | undefined,
): void {
  switch (q.kind) {
    case 'short_text':
    case 'long_text':
      if (typeof value !== 'string') add(path, 'wrong_type', 'expected text')
      else if (value.length > q.maxLength) add(path, 'too_long', `longer than ${q.maxLength} characters`)
      return
    case 'single_choice':
      if (typeof value !== 'string') add(path, 'wrong_type', 'expected one option value')
      else if (!q.options.some((o) => o.value === value)) add(path, 'not_an_option', 'not one of the options')
      return
    case 'multiple_choice': {
      if (!isStringList(value)) {
        add(path, 'wrong_type', 'expected a list of option values')
        return
      }
      if (value.some((v) => !q.options.some((o) => o.value === v)))
        add(path, 'not_an_option', 'a value is not one of the options')
      if (new Set(value).size !== value.length) add(path, 'duplicate', 'an option is chosen twice')
      if (value.length < q.min) add(path, 'too_few', `at least ${q.min} choices needed`)
      if (q.max !== undefined && value.length > q.max)
        add(path, 'too_many', `at most ${q.max} choices allowed`)
      return
    }
    case 'country':
      if (typeof value !== 'string') add(path, 'wrong_type', 'expected a country code')
      else if (!isCountryCode(value)) add(path, 'unknown_country', 'not an ISO 3166-1 alpha-2 country code')
      return
    case 'date': {
      const date = PartialDate.safeParse(value)
      if (!date.success) add(path, 'wrong_type', 'expected a date with its precision')
      else if (!q.precisions.includes(date.data.precision))
        add(path, 'precision', `a date of precision ${date.data.precision} is not asked for`)
      return
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) add(path, 'wrong_type', 'expected a number')
      else {
        if (q.integer && !Number.isInteger(value)) add(path, 'not_whole', 'expected a whole number')
        if ((q.min !== undefined && value < q.min) || (q.max !== undefined && value > q.max)) {
          add(
            path,
            'out_of_range',
            `expected a number${q.min === undefined ? '' : ` from ${q.min}`}${q.max === undefined ? '' : ` up to ${q.max}`}`,
          )
        }
      }
      return
    case 'yes_no':
      if (typeof value !== 'boolean') add(path, 'wrong_type', 'expected yes (true) or no (false)')
      return
    case 'attachment': {
      if (!isStringList(value) || value.some((v) => !UploadId.safeParse(v).success)) {
        add(path, 'wrong_type', 'expected a list of upload ids')
        return
      }
      if (new Set(value).size !== value.length) add(path, 'duplicate', 'a file is listed twice')
      if (value.length > q.maxFiles) add(path, 'too_many', `at most ${q.maxFiles} files allowed`)
      if (files === undefined) return
      value.forEach((upload, k) => {
        const file = files.get(upload)
        const at = `${path}[${k}]`
        if (file === undefined) add(at, 'unknown_attachment', "not among the submission's attachments")
        else {
          if (!q.accept.some((pattern) => mediaTypeMatches(pattern, file.mediaType)))
            add(at, 'attachment_type', 'a type of file not accepted here')
          if (file.byteLength > q.maxBytes) add(at, 'attachment_too_large', `larger than ${q.maxBytes} bytes`)
        }
      })
      return
    }
  }
}

/** True when `mediaType` matches `pattern` (`image/jpeg`, or a wildcard such as `image/*`). */
export function mediaTypeMatches(pattern: string, mediaType: string): boolean {
  if (pattern.endsWith('/*')) return mediaType.startsWith(pattern.slice(0, -1))
  return pattern === mediaType
}

function isStringList(value: AnswerValue): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string')
}

function isInstance(value: unknown): value is GroupInstance {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
