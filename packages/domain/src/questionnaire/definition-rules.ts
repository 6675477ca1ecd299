import { isCountryCode } from '../model/country.ts'
import { type Condition, MAX_CONDITION_DEPTH } from './condition.schema.ts'
import { type GroupTarget, type MapTarget, mandatoryTargets, TARGET_SPECS } from './mapping.ts'
import {
  type GroupDefinition,
  type ItemDefinition,
  QUESTION_LIMITS,
  type QuestionDefinition,
} from './question.schema.ts'
import type { DefinitionShape } from './questionnaire.schema.ts'
import { hasText } from './text.ts'
import { type DocPath, visitItems, visitTexts } from './walk.ts'

/** One thing wrong with a questionnaire document, at a path into it. */
export interface DocProblem {
  readonly path: DocPath
  readonly message: string
}

type Lookup = (id: string) => ItemDefinition | QuestionDefinition | undefined

/**
 * The rules of a questionnaire that need no codebook (docs/questionnaire-format.md, "What the
 * check refuses"). Returns every problem found, in document order; an empty list means the
 * document is well formed. Runs inside the `QuestionnaireDefinition` and `Questionnaire` schemas.
 */
export function definitionProblems(doc: DefinitionShape): DocProblem[] {
  const problems: DocProblem[] = []
  const add = (path: DocPath, message: string) => problems.push({ path, message })
  checkTexts(doc, add)

  const firstSeen = new Map<string, DocPath>()
  const allIds = new Set<string>()
  const groupOf = new Map<string, string>()
  for (const { item, group } of visitItems(doc)) {
    allIds.add(item.id)
    if (group !== null) groupOf.set(item.id, group.item.id)
  }

  const topLevel = new Map<string, ItemDefinition>()
  let local = new Map<string, QuestionDefinition>()
  let currentGroup: GroupDefinition | null = null
  const mappedBy = new Map<MapTarget, string[]>()
  const groupTargets = new Map<GroupTarget, string>()

  for (const { item, path, group } of visitItems(doc)) {
    const earlier = firstSeen.get(item.id)
    if (earlier === undefined) firstSeen.set(item.id, path)
    else
      add([...path, 'id'], `the id ${item.id} is already used (ids must be unique across the questionnaire)`)

    if (group?.item !== currentGroup) {
      local = new Map()
      currentGroup = group?.item ?? null
    }
    const lookup: Lookup = (id) => local.get(id) ?? topLevel.get(id)
    if (item.showIf !== undefined) {
      checkCondition(item.showIf, [...path, 'showIf'], 1, { lookup, allIds, groupOf, self: item.id, add })
    }
    checkItem(item, path, add)
    if (item.kind === 'group') {
      checkGroup(item, path, groupTargets, add)
    } else if (item.kind !== 'attachment' && item.maps !== undefined) {
      const scope = group === null ? 'respondent' : (group.item.maps ?? null)
      checkMapping(item, item.maps, path, scope, mappedBy, add)
    }

    if (group === null) topLevel.set(item.id, item)
    else if (item.kind !== 'group') local.set(item.id, item)
  }
  checkFileTotal(doc, add)
  return problems
}

/** The most files one submission can carry (the submission plaintext and the testimony hold 20). */
const MAX_FILES = QUESTION_LIMITS.attachmentFiles

/**
 * A valid answer set must fit in one submission, so the attachment questions together may not
 * allow more files than it holds (a question inside a group counts once per possible instance).
 */
function checkFileTotal(doc: DefinitionShape, add: Add): void {
  let total = 0
  let last: DocPath | null = null
  for (const { item, path, group } of visitItems(doc)) {
    if (item.kind !== 'attachment') continue
    total += item.maxFiles * (group?.item.max ?? 1)
    last = path
  }
  if (last !== null && total > MAX_FILES) {
    add(
      [...last, 'maxFiles'],
      `the attachment questions allow ${total} files in all, but a submission holds at most ${MAX_FILES} (a group's question counts once per instance)`,
    )
  }
}

type Add = (path: DocPath, message: string) => void

function checkTexts(doc: DefinitionShape, add: Add): void {
  const declared = new Set(doc.languages)
  const defaultLanguage = doc.languages[0] ?? 'en'
  for (const { text, path } of visitTexts(doc)) {
    for (const language of Object.keys(text)) {
      if (!declared.has(language)) {
        // An undeclared language is nearly always a typo (uy for ug) that would hide a translation.
        add(
          [...path, language],
          `${language} is not one of the questionnaire's languages (${doc.languages.join(', ')})`,
        )
      }
    }
    if (!hasText(text, defaultLanguage)) {
      add(
        [...path, defaultLanguage],
        `missing the ${defaultLanguage} text (${defaultLanguage} is the default language)`,
      )
    }
  }
}

function checkItem(item: ItemDefinition | QuestionDefinition, path: DocPath, add: Add): void {
  switch (item.kind) {
    case 'single_choice':
    case 'multiple_choice': {
      if (item.options !== undefined && item.optionsFrom !== undefined) {
        add([...path, 'optionsFrom'], 'give either options or optionsFrom, not both')
      } else if (item.options === undefined && item.optionsFrom === undefined) {
        add([...path, 'options'], 'a choice needs options or optionsFrom (a codebook section)')
      }
      const values = new Set<string>()
      for (const [o, option] of (item.options ?? []).entries()) {
        if (values.has(option.value))
          add([...path, 'options', o, 'value'], `the value ${option.value} appears twice`)
        values.add(option.value)
      }
      if (item.kind === 'multiple_choice') {
        if (item.max !== undefined && item.min > item.max) add([...path, 'min'], 'min is greater than max')
        if (item.options !== undefined && item.min > item.options.length) {
          add([...path, 'min'], 'min is greater than the number of options')
        }
      }
      return
    }
    case 'number':
      if (item.min !== undefined && item.max !== undefined && item.min > item.max)
        add([...path, 'min'], 'min is greater than max')
      if (
        item.integer &&
        item.min !== undefined &&
        item.max !== undefined &&
        Math.ceil(item.min) > Math.floor(item.max)
      ) {
        add([...path, 'min'], 'no whole number lies between min and max')
      }
      return
    case 'group':
      if (item.min > item.max) add([...path, 'min'], 'min is greater than max')
      return
    case 'short_text':
    case 'long_text':
    case 'country':
    case 'date':
    case 'yes_no':
    case 'attachment':
      return
  }
}

function checkGroup(group: GroupDefinition, path: DocPath, used: Map<GroupTarget, string>, add: Add): void {
  if (group.maps === undefined) return
  const other = used.get(group.maps)
  if (other !== undefined) {
    add([...path, 'maps'], `${group.maps} is already mapped by the group ${other}`)
    return
  }
  used.set(group.maps, group.id)
  for (const target of mandatoryTargets(group.maps)) {
    if (!group.items.some((q) => 'maps' in q && q.maps === target)) {
      add([...path, 'items'], `a group that maps to ${group.maps} needs a question mapped to ${target}`)
    }
  }
}

function checkMapping(
  question: QuestionDefinition,
  target: MapTarget,
  path: DocPath,
  scope: 'respondent' | GroupTarget | null,
  mappedBy: Map<MapTarget, string[]>,
  add: Add,
): void {
  const spec = TARGET_SPECS[target]
  const at = [...path, 'maps']
  if (spec.scope !== scope) {
    add(
      at,
      spec.scope === 'respondent'
        ? `${target} belongs on a top-level question, not inside a group`
        : `${target} belongs inside the group that maps to ${spec.scope}`,
    )
    return
  }
  if (!(spec.kinds as readonly string[]).includes(question.kind)) {
    add(at, `${target} needs a ${spec.kinds.join(' or ')} question, not ${question.kind}`)
    return
  }
  const earlier = mappedBy.get(target) ?? []
  mappedBy.set(target, [...earlier, question.id])
  const allowed = spec.repeatable ?? 1
  if (earlier.length >= allowed) {
    add(
      at,
      allowed === 1
        ? `${target} is already mapped by the question ${earlier[0] ?? ''}`
        : `at most ${allowed} questions can map to ${target}`,
    )
  }
  if (
    spec.maxItems !== undefined &&
    question.kind === 'multiple_choice' &&
    (question.max ?? question.options?.length ?? 0) > spec.maxItems
  ) {
    add(
      [...path, 'max'],
      `${target} holds at most ${spec.maxItems} values: set max to ${spec.maxItems} or less`,
    )
  }
  if (spec.mandatory === true && (!question.required || question.showIf !== undefined)) {
    add(at, `${target} must be on a required question without showIf (the model cannot leave it empty)`)
  }
  if (
    spec.maxLength !== undefined &&
    (question.kind === 'short_text' || question.kind === 'long_text') &&
    question.maxLength > spec.maxLength
  ) {
    add([...path, 'maxLength'], `${target} holds at most ${spec.maxLength} characters`)
  }
  if (question.kind === 'single_choice' || question.kind === 'multiple_choice') {
    if (spec.values !== undefined) {
      if (question.optionsFrom !== undefined) {
        add(
          [...path, 'optionsFrom'],
          `${target} takes fixed values (${spec.values.join(', ')}), so list them as options`,
        )
      }
      for (const [o, option] of (question.options ?? []).entries()) {
        if (!spec.values.includes(option.value)) {
          add(
            [...path, 'options', o, 'value'],
            `${option.value} is not a value of ${target} (expected one of ${spec.values.join(', ')})`,
          )
        }
      }
    }
    if (
      spec.section !== undefined &&
      question.optionsFrom !== undefined &&
      question.optionsFrom !== spec.section
    ) {
      add(
        [...path, 'optionsFrom'],
        `${target} takes codes from the codebook section ${spec.section}, not ${question.optionsFrom}`,
      )
    }
  }
}

interface ConditionContext {
  readonly lookup: Lookup
  readonly allIds: ReadonlySet<string>
  readonly groupOf: ReadonlyMap<string, string>
  readonly self: string
  readonly add: Add
}

function checkCondition(condition: Condition, path: DocPath, depth: number, ctx: ConditionContext): void {
  if (depth > MAX_CONDITION_DEPTH) {
    ctx.add(path, `conditions nest at most ${MAX_CONDITION_DEPTH} deep`)
    return
  }
  switch (condition.op) {
    case 'all':
    case 'any':
      condition.conditions.forEach((c, k) => {
        checkCondition(c, [...path, 'conditions', k], depth + 1, ctx)
      })
      return
    case 'not':
      checkCondition(condition.condition, [...path, 'condition'], depth + 1, ctx)
      return
    case 'answered':
    case 'equals':
    case 'includes': {
      const target = referredQuestion(condition.question, [...path, 'question'], ctx)
      if (target === undefined || condition.op === 'answered') return
      const valuePath = [...path, 'value']
      if (condition.op === 'includes') {
        if (target.kind !== 'multiple_choice') {
          ctx.add(
            [...path, 'op'],
            `includes tests a multiple choice, and ${target.id} is a ${target.kind} question`,
          )
        } else checkOptionValue(target, condition.value, valuePath, ctx.add)
        return
      }
      checkEqualsValue(target, condition.value, valuePath, [...path, 'op'], ctx.add)
      return
    }
  }
}

function referredQuestion(
  id: string,
  path: DocPath,
  ctx: ConditionContext,
): ItemDefinition | QuestionDefinition | undefined {
  const found = ctx.lookup(id)
  if (found !== undefined) return found
  if (id === ctx.self) ctx.add(path, `a question cannot depend on itself (${id})`)
  else if (!ctx.allIds.has(id)) ctx.add(path, `there is no question ${id}`)
  else if (ctx.groupOf.has(id) && ctx.lookup(ctx.groupOf.get(id) ?? '') !== undefined) {
    ctx.add(
      path,
      `${id} is inside the group ${ctx.groupOf.get(id) ?? ''}; only that group's own later items can look at it`,
    )
  } else ctx.add(path, `${id} comes later; a condition can only look at questions asked before`)
  return undefined
}

function checkEqualsValue(
  target: ItemDefinition | QuestionDefinition,
  value: string | number | boolean,
  valuePath: DocPath,
  opPath: DocPath,
  add: Add,
): void {
  switch (target.kind) {
    case 'single_choice':
      if (typeof value !== 'string')
        add(valuePath, `${target.id} is a choice, so the value must be one of its option values`)
      else checkOptionValue(target, value, valuePath, add)
      return
    case 'yes_no':
      if (typeof value !== 'boolean')
        add(valuePath, `${target.id} is a yes/no question, so the value must be true or false`)
      return
    case 'number':
      if (typeof value !== 'number')
        add(valuePath, `${target.id} is a number question, so the value must be a number`)
      return
    case 'country':
      if (!isCountryCode(value))
        add(valuePath, `${target.id} is a country question, so the value must be a country code such as TR`)
      return
    case 'short_text':
    case 'long_text':
      if (typeof value !== 'string')
        add(valuePath, `${target.id} is a text question, so the value must be text`)
      return
    case 'multiple_choice':
      add(opPath, `${target.id} is a multiple choice: use includes, not equals`)
      return
    case 'date':
    case 'attachment':
    case 'group':
      add(opPath, `equals cannot test a ${target.kind} question (${target.id}); use answered`)
      return
  }
}

function checkOptionValue(
  target: Extract<QuestionDefinition, { kind: 'single_choice' | 'multiple_choice' }>,
  value: string,
  path: DocPath,
  add: Add,
): void {
  // Options from the codebook are known only at compile time, where the value is checked again.
  if (target.options !== undefined && !target.options.some((o) => o.value === value)) {
    add(path, `${value} is not an option of ${target.id}`)
  }
}
