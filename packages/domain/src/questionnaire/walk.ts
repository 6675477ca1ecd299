import type { GroupDefinition, ItemDefinition, QuestionDefinition } from './question.schema.ts'
import type { DefinitionShape } from './questionnaire.schema.ts'
import type { MultilingualText } from './text.ts'

/** A path into a questionnaire document, as zod reports them (`['sections', 0, 'items', 2]`). */
export type DocPath = readonly (string | number)[]

/** One item met in document order, with where it is and the group that holds it (if any). */
export interface ItemVisit {
  readonly item: ItemDefinition | QuestionDefinition
  readonly path: DocPath
  readonly group: { readonly item: GroupDefinition; readonly path: DocPath } | null
}

/** Every item in document order: top-level items, each group followed by its own items. */
export function* visitItems(doc: DefinitionShape): Generator<ItemVisit> {
  for (const [s, section] of doc.sections.entries()) {
    for (const [i, item] of section.items.entries()) {
      const path = ['sections', s, 'items', i] as const
      yield { item, path, group: null }
      if (item.kind === 'group') {
        for (const [j, inner] of item.items.entries()) {
          yield { item: inner, path: [...path, 'items', j], group: { item, path } }
        }
      }
    }
  }
}

/** Every multilingual text of a questionnaire with its path, in document order. */
export function* visitTexts(
  doc: DefinitionShape,
): Generator<{ readonly text: MultilingualText; readonly path: DocPath }> {
  yield { text: doc.title, path: ['title'] }
  if (doc.intro !== undefined) yield { text: doc.intro, path: ['intro'] }
  for (const [s, section] of doc.sections.entries()) {
    yield { text: section.title, path: ['sections', s, 'title'] }
    if (section.intro !== undefined) yield { text: section.intro, path: ['sections', s, 'intro'] }
  }
  for (const { item, path } of visitItems(doc)) {
    yield { text: item.label, path: [...path, 'label'] }
    if (item.help !== undefined) yield { text: item.help, path: [...path, 'help'] }
    if (item.kind === 'group') {
      yield { text: item.itemLabel, path: [...path, 'itemLabel'] }
      yield { text: item.addLabel, path: [...path, 'addLabel'] }
    }
    if ((item.kind === 'single_choice' || item.kind === 'multiple_choice') && item.options !== undefined) {
      for (const [o, option] of item.options.entries()) {
        yield { text: option.label, path: [...path, 'options', o, 'label'] }
      }
    }
  }
}
