import { z } from 'zod'
import { CodebookRef } from '../codebook/codebook.schema.ts'
import { QuestionnaireId } from '../intake/wire.ts'
import { LanguageTag } from '../model/schema-helpers.ts'
import { definitionProblems } from './definition-rules.ts'
import { Item, ItemDefinition } from './question.schema.ts'
import { MultilingualText } from './text.ts'

/** The format marker of a questionnaire, definition or compiled. */
export const QUESTIONNAIRE_FORMAT = 'amanat-questionnaire/1'

/** A questionnaire's version: semver (`1.0.0`, `1.1.0-pilot`). Answers record it. */
export const QuestionnaireVersion = z
  .string()
  .max(50)
  .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, { error: 'expected a version such as 1.0.0' })

const header = {
  format: z.literal(QUESTIONNAIRE_FORMAT, { error: `expected format "${QUESTIONNAIRE_FORMAT}"` }),
  id: QuestionnaireId,
  version: QuestionnaireVersion,
  /** The languages it is offered in; the first is the default, and every text must have it. */
  languages: z
    .array(LanguageTag)
    .min(1)
    .max(20)
    .refine((l) => new Set(l).size === l.length, { error: 'a language is listed twice' }),
  /** The codebook its codes come from (`amanat-default@1.0.0`). */
  codebook: CodebookRef,
  title: MultilingualText,
  intro: MultilingualText.optional(),
}

const sectionShape = <I extends z.ZodType>(item: I) =>
  z
    .object({
      title: MultilingualText,
      intro: MultilingualText.optional(),
      items: z.array(item).min(1).max(200),
    })
    .strict()

/** A section of a definition: one page of the questionnaire. */
export const SectionDefinition = sectionShape(ItemDefinition)
export type SectionDefinition = z.infer<typeof SectionDefinition>
/** A section of a compiled questionnaire. */
export const Section = sectionShape(Item)
export type Section = z.infer<typeof Section>

const DefinitionShape = z.object({ ...header, sections: z.array(SectionDefinition).min(1).max(50) }).strict()
const CompiledShape = z.object({ ...header, sections: z.array(Section).min(1).max(50) }).strict()

/** The parsed shape of a definition before the rules run (the rules' input; compiled ones fit it too). */
export type DefinitionShape = z.infer<typeof DefinitionShape>

const withRules = <T extends DefinitionShape>(value: T, ctx: z.RefinementCtx) => {
  for (const problem of definitionProblems(value)) {
    ctx.addIssue({ code: 'custom', message: problem.message, path: [...problem.path] })
  }
}

/**
 * A questionnaire as its author writes it (JSON, docs/questionnaire-format.md). Parsing checks
 * the shape and every rule that needs no codebook: unique ids, conditions that look only at
 * earlier questions and at values that exist, mappings that fit their question, and the default
 * language present in every text. `compileQuestionnaire` adds the codebook's checks.
 */
export const QuestionnaireDefinition = DefinitionShape.superRefine(withRules)
export type QuestionnaireDefinition = z.infer<typeof QuestionnaireDefinition>

/**
 * A compiled questionnaire: a definition whose choices all list their options, with labels in
 * the questionnaire's languages and blank texts removed. This is what is signed, served and
 * rendered; the page never needs the codebook. Made by `compileQuestionnaire`; parse one that
 * arrives from elsewhere (the network, the store) with this schema.
 */
export const Questionnaire = CompiledShape.superRefine(withRules)
export type Questionnaire = z.infer<typeof Questionnaire>
