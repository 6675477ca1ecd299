import { codebookRef, findCode } from '../codebook/codebook-lookup.ts'
import { type Codebook, type CodeEntry, type SectionName } from '../codebook/codebook.schema.ts'
import type { DocProblem } from './definition-rules.ts'
import { TARGET_SPECS } from './mapping.ts'
import type { ChoiceOption, ItemDefinition, QuestionDefinition } from './question.schema.ts'
import { Questionnaire, type QuestionnaireDefinition } from './questionnaire.schema.ts'
import type { MultilingualText } from './text.ts'
import { invalidQuestionnaire, pathText } from './problems.ts'
import type { DocPath } from './walk.ts'

/** A text shown in English because the codebook has no label in one of the questionnaire's languages. */
export interface CodebookFallback {
  readonly path: DocPath
  readonly language: string
  readonly code: string
}

/** What compiling found: the questionnaire, or the problems that stopped it. */
export interface CompileReport {
  readonly questionnaire: Questionnaire | null
  readonly problems: readonly DocProblem[]
  readonly fallbacks: readonly CodebookFallback[]
}

/**
 * Compiles a definition against `codebook` (docs/questionnaire-format.md, "Compiling"): every
 * `optionsFrom` becomes the section's active (not deprecated) codes, labelled in the
 * questionnaire's languages (English where the codebook has no label in one), explicit options of
 * a codebook-backed mapping must be active codes of its section, conditions are checked again
 * against the options they now see, and blank texts are dropped. The result is what is signed and
 * rendered.
 *
 * Throws an `input` AmanatError `questionnaire.invalid` (message with the path of the first
 * problem, details with all) when the definition names another codebook (neither `codebook` nor
 * the codebook it extends) or any check fails.
 */
export function compileQuestionnaire(definition: QuestionnaireDefinition, codebook: Codebook): Questionnaire {
  const report = compileReport(definition, codebook)
  if (report.questionnaire === null) {
    throw invalidQuestionnaire(
      'questionnaire',
      report.problems.map((p) => ({ path: pathText(p.path), message: p.message })),
    )
  }
  return report.questionnaire
}

/** {@link compileQuestionnaire} without throwing: problems and codebook fallbacks as data. */
export function compileReport(definition: QuestionnaireDefinition, codebook: Codebook): CompileReport {
  const problems: DocProblem[] = []
  const fallbacks: CodebookFallback[] = []
  const ref = codebookRef(codebook)
  if (definition.codebook !== ref && definition.codebook !== codebook.basedOn) {
    problems.push({
      path: ['codebook'],
      message: `this questionnaire is written for ${definition.codebook}, but the codebook given is ${ref}`,
    })
    return { questionnaire: null, problems, fallbacks }
  }

  const compileQuestion = (q: QuestionDefinition, path: DocPath): Record<string, unknown> => {
    const texts = { label: clean(q.label), ...(q.help === undefined ? {} : { help: clean(q.help) }) }
    if (q.kind !== 'single_choice' && q.kind !== 'multiple_choice') return { ...q, ...texts }
    const { optionsFrom, options, ...rest } = q
    if (optionsFrom !== undefined) {
      const entries = codebook.sections[optionsFrom].filter((e) => e.deprecated !== true)
      const expanded = entries.map((entry, o) =>
        codebookOption(entry, definition.languages, (language) =>
          fallbacks.push({ path: [...path, 'options', o, 'label'], language, code: entry.code }),
        ),
      )
      return { ...rest, ...texts, options: expanded }
    }
    const section = q.maps === undefined ? undefined : TARGET_SPECS[q.maps].section
    if (section !== undefined) checkExplicitCodes(options ?? [], section, codebook, path, problems)
    return { ...rest, ...texts, options: (options ?? []).map((o) => ({ ...o, label: clean(o.label) })) }
  }
  const compileItem = (item: ItemDefinition, path: DocPath): Record<string, unknown> => {
    if (item.kind !== 'group') return compileQuestion(item, path)
    return {
      ...item,
      label: clean(item.label),
      ...(item.help === undefined ? {} : { help: clean(item.help) }),
      itemLabel: clean(item.itemLabel),
      addLabel: clean(item.addLabel),
      items: item.items.map((q, j) => compileQuestion(q, [...path, 'items', j])),
    }
  }

  const compiled = {
    ...definition,
    title: clean(definition.title),
    ...(definition.intro === undefined ? {} : { intro: clean(definition.intro) }),
    sections: definition.sections.map((section, s) => ({
      ...section,
      title: clean(section.title),
      ...(section.intro === undefined ? {} : { intro: clean(section.intro) }),
      items: section.items.map((item, i) => compileItem(item, ['sections', s, 'items', i])),
    })),
  }
  if (problems.length > 0) return { questionnaire: null, problems, fallbacks }

  // The compiled document obeys the same rules with every option now visible: this is where a
  // condition naming a code that the codebook section does not offer is caught.
  const result = Questionnaire.safeParse(compiled)
  if (!result.success) {
    for (const issue of result.error.issues) {
      problems.push({
        path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
        message: issue.message,
      })
    }
    return { questionnaire: null, problems, fallbacks }
  }
  return { questionnaire: result.data, problems, fallbacks }
}

function codebookOption(
  entry: CodeEntry,
  languages: readonly string[],
  fellBack: (language: string) => void,
): ChoiceOption {
  const label: Record<string, string> = {}
  for (const language of languages) {
    const own = entry.labels[language] ?? entry.labels[language.split('-')[0] ?? language]
    if (own === undefined) fellBack(language)
    // English is required in every codebook; the code itself is the last resort of a broken one.
    label[language] = own ?? entry.labels.en ?? entry.code
  }
  return { value: entry.code, label }
}

function checkExplicitCodes(
  options: readonly ChoiceOption[],
  section: SectionName,
  codebook: Codebook,
  path: DocPath,
  problems: DocProblem[],
): void {
  for (const [o, option] of options.entries()) {
    const entry = findCode(codebook, section, option.value)
    const at = [...path, 'options', o, 'value']
    if (entry === undefined) {
      problems.push({
        path: at,
        message: `${option.value} is not a code of ${section} in codebook ${codebookRef(codebook)}`,
      })
    } else if (entry.deprecated === true) {
      problems.push({
        path: at,
        message: `${option.value} is deprecated in ${section}: it is kept for old codings, not offered`,
      })
    }
  }
}

/** The text without blank entries: a blank is an untranslated placeholder, never shown. */
function clean(text: MultilingualText): MultilingualText {
  return Object.fromEntries(Object.entries(text).filter(([, value]) => value.trim() !== ''))
}
