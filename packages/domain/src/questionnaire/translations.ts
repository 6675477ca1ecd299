import type { DefinitionShape } from './questionnaire.schema.ts'
import { hasText } from './text.ts'
import { visitTexts } from './walk.ts'
import { pathText } from './problems.ts'

/** A text with no translation in one of the questionnaire's languages (the page shows the default). */
export interface MissingTranslation {
  /** Where the text is: `sections[1].items[3].label`. */
  readonly path: string
  readonly language: string
  /** For an option label taken from the codebook: its code (the codebook lacks the language). */
  readonly code?: string
}

/**
 * Every text of `doc` that is absent or blank in a declared language other than the default, in
 * document order. The default language is not listed: a text without it is refused outright.
 */
export function missingTranslations(doc: DefinitionShape): MissingTranslation[] {
  const missing: MissingTranslation[] = []
  const others = doc.languages.slice(1)
  for (const { text, path } of visitTexts(doc)) {
    for (const language of others) {
      if (!hasText(text, language)) missing.push({ path: pathText(path), language })
    }
  }
  return missing
}
