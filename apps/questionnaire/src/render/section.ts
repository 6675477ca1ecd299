import {
  visibleQuestions,
  type GroupInstance,
  type Item,
  type Questionnaire,
  type ScalarAnswer,
  type Section,
} from '@amanat/domain'
import type { AnswerMemory } from '../state.ts'
import type { FieldContext, FileHandler, Translate } from './context.ts'
import { renderGroup } from './group.ts'
import { renderQuestion } from './question.ts'

/**
 * One section of the questionnaire as one page: every item is built (hidden ones with the
 * `hidden` attribute), so answering a question that reveals another only toggles visibility and
 * never rebuilds what the respondent is typing in.
 */

/** What a section page needs from the app. */
export interface SectionEnv {
  readonly questionnaire: Questionnaire
  readonly memory: AnswerMemory
  readonly language: string
  readonly t: Translate
  /** Messages to show, by answer path (`home_country`, `incidents[1].incident_type`). */
  readonly errors: ReadonlyMap<string, string>
  /** A file handler for the attachment question at this path. */
  readonly files: (path: string, question: Extract<Item, { kind: 'attachment' }>) => FileHandler
  /** Rebuilds the page, then focuses the element with this id (or the first control of the path). */
  readonly refresh: (focusId: string) => void
}

/** A DOM id for an answer path: `incidents[1].type` → `f-incidents-1-type`. */
export function domIdOf(path: string): string {
  return `f-${path.replace(/[[\].]+/g, '-').replace(/-$/, '')}`
}

/** Builds a section's items and a function that re-applies visibility after each change. */
export function renderSection(section: Section, env: SectionEnv): { readonly items: HTMLElement[]; readonly update: () => void } {
  const { questionnaire, memory } = env
  const fallback = questionnaire.languages[0] ?? env.language
  const blocks: { element: HTMLElement; id: string; instance: number | null; group: string | null }[] = []

  const update = () => {
    const visible = visibleQuestions(questionnaire, memory.current)
    for (const block of blocks) {
      const shown =
        block.group === null
          ? visible.top.has(block.id)
          : visible.top.has(block.group) && (visible.groups.get(block.group)?.[block.instance ?? 0]?.has(block.id) ?? false)
      block.element.hidden = !shown
    }
  }

  const context = (
    path: string,
    value: ScalarAnswer | undefined,
    set: (value: ScalarAnswer | undefined) => void,
    files: FileHandler,
  ): FieldContext => ({
    language: env.language,
    fallback,
    domId: domIdOf(path),
    value,
    set: (next) => {
      set(next)
      update()
    },
    draft: memory.drafts.get(path),
    setDraft: (text) => {
      if (text === undefined) memory.drafts.delete(path)
      else memory.drafts.set(path, text)
    },
    error: env.errors.get(path) ?? null,
    t: env.t,
    files,
    refresh: () => env.refresh(`${domIdOf(path)}-input`),
  })

  const noFiles: FileHandler = {
    get: () => undefined,
    add: () => Promise.resolve({ kind: 'type' }),
    remove: () => undefined,
  }

  const items = section.items.map((item) => {
    if (item.kind !== 'group') {
      const element = renderQuestion(
        item,
        context(item.id, memory.current[item.id] as ScalarAnswer | undefined, (v) => memory.set(item.id, v), item.kind === 'attachment' ? env.files(item.id, item) : noFiles),
      )
      blocks.push({ element, id: item.id, instance: null, group: null })
      return element
    }
    const stored = memory.current[item.id]
    const instances: GroupInstance[] = Array.isArray(stored) ? (stored as GroupInstance[]) : []
    while (instances.length < item.min) instances.push({})
    if (instances.length > 0) memory.set(item.id, instances)
    const element = renderGroup(item, {
      language: env.language,
      fallback,
      t: env.t,
      domId: domIdOf(item.id),
      instances,
      setInstances: (next) => memory.set(item.id, next.length === 0 ? undefined : next),
      error: env.errors.get(item.id) ?? null,
      refresh: env.refresh,
      renderItem: (question, k) => {
        const path = `${item.id}[${k}].${question.id}`
        const instance = instances[k] ?? {}
        const element = renderQuestion(
          question,
          context(
            path,
            instance[question.id],
            (v) => {
              if (v === undefined) delete instance[question.id]
              else instance[question.id] = v
            },
            question.kind === 'attachment' ? env.files(path, question) : noFiles,
          ),
        )
        blocks.push({ element, id: question.id, instance: k, group: item.id })
        return element
      },
    })
    blocks.push({ element, id: item.id, instance: null, group: null })
    return element
  })
  update()
  return { items, update }
}
