import type { Answers, AnswerValue, GroupInstance } from './answers.schema.ts'
import { isAnswered } from './answers.schema.ts'
import type { Condition } from './condition.schema.ts'
import type { Questionnaire } from './questionnaire.schema.ts'

/**
 * Whether `condition` holds for these answers. `instance` is the group instance being shown,
 * when the condition belongs to an item of a repeatable group: its answers are seen first.
 * Answers to hidden questions must already be removed (see {@link visibleQuestions} and
 * {@link pruneAnswers}); an answer that is not there, or blank, makes `equals` and `includes`
 * false. Never throws.
 */
export function evaluateCondition(condition: Condition, answers: Answers, instance?: GroupInstance): boolean {
  const answerOf = (id: string): AnswerValue | undefined => instance?.[id] ?? answers[id]
  switch (condition.op) {
    case 'answered':
      return isAnswered(answerOf(condition.question))
    case 'equals': {
      const value = answerOf(condition.question)
      return isAnswered(value) && value === condition.value
    }
    case 'includes': {
      const value = answerOf(condition.question)
      return Array.isArray(value) && value.some((v) => v === condition.value)
    }
    case 'all':
      return condition.conditions.every((c) => evaluateCondition(c, answers, instance))
    case 'any':
      return condition.conditions.some((c) => evaluateCondition(c, answers, instance))
    case 'not':
      return !evaluateCondition(condition.condition, answers, instance)
  }
}

/** Which questions are shown for a set of answers. */
export interface VisibleQuestions {
  /** Top-level questions and groups shown. */
  readonly top: ReadonlySet<string>
  /** For each shown group, one set per instance (in the answers' order): the items shown in it. */
  readonly groups: ReadonlyMap<string, readonly ReadonlySet<string>[]>
}

/**
 * The questions shown for `answers`, in document order. A question whose condition looks at a
 * hidden question sees no answer there, even if one is still in `answers` (the respondent
 * answered, then changed an earlier answer): hiding cascades. Never throws.
 */
export function visibleQuestions(questionnaire: Questionnaire, answers: Answers): VisibleQuestions {
  return walkVisible(questionnaire, answers).visible
}

/**
 * The answers with everything the respondent cannot see removed: answers to hidden questions,
 * blank answers, and keys that are no question. The page seals this, never the raw form state.
 */
export function pruneAnswers(questionnaire: Questionnaire, answers: Answers): Answers {
  return walkVisible(questionnaire, answers).kept
}

function walkVisible(
  questionnaire: Questionnaire,
  answers: Answers,
): { visible: VisibleQuestions; kept: Answers } {
  const top = new Set<string>()
  const groups = new Map<string, ReadonlySet<string>[]>()
  const kept: Record<string, AnswerValue> = {}
  const shown = (condition: Condition | undefined, instance?: GroupInstance) =>
    condition === undefined || evaluateCondition(condition, kept, instance)

  for (const section of questionnaire.sections) {
    for (const item of section.items) {
      if (!shown(item.showIf)) continue
      top.add(item.id)
      const value = answers[item.id]
      if (item.kind !== 'group') {
        if (value !== undefined && isAnswered(value)) kept[item.id] = value
        continue
      }
      const instances = Array.isArray(value) ? value.filter(isInstance) : []
      const perInstance: ReadonlySet<string>[] = []
      const keptInstances: GroupInstance[] = []
      for (const instance of instances) {
        const inside = new Set<string>()
        const keptInstance: GroupInstance = {}
        for (const q of item.items) {
          if (!shown(q.showIf, keptInstance)) continue
          inside.add(q.id)
          const answer = instance[q.id]
          if (answer !== undefined && isAnswered(answer)) keptInstance[q.id] = answer
        }
        perInstance.push(inside)
        keptInstances.push(keptInstance)
      }
      groups.set(item.id, perInstance)
      if (keptInstances.length > 0) kept[item.id] = keptInstances
    }
  }
  return { visible: { top, groups }, kept }
}

function isInstance(value: unknown): value is GroupInstance {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
