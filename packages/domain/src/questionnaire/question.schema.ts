import { z } from 'zod'
import { SECTION_NAMES } from '../codebook/codebook.schema.ts'
import { DATE_PRECISIONS } from '../model/partial-date.ts'
import { Condition } from './condition.schema.ts'
import { GROUP_TARGETS, MAP_TARGETS } from './mapping.ts'
import { QuestionId } from './question-id.ts'
import { MultilingualText } from './text.ts'

/**
 * The kinds of question (docs/questionnaire-format.md, "Kinds"). Each is one variant of a
 * discriminated union on `kind`; a `group` holds questions and repeats (one instance per
 * relative, per incident).
 */
export const QUESTION_KINDS = [
  'short_text',
  'long_text',
  'single_choice',
  'multiple_choice',
  'country',
  'date',
  'number',
  'yes_no',
  'attachment',
] as const
export type QuestionKind = (typeof QUESTION_KINDS)[number]
export type ItemKind = QuestionKind | 'group'

/** Limits that keep a questionnaire renderable on a cheap phone and a submission sealable. */
export const QUESTION_LIMITS = {
  shortTextMax: 1_000,
  longTextMax: 1_048_576,
  options: 500,
  groupInstances: 100,
  groupItems: 50,
  attachmentFiles: 20,
  attachmentBytes: 100 * 1024 * 1024,
} as const

/** An option's value: a codebook code or a value of the model (`self`, `pseudonym`, `18_29`). */
export const OptionValue = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_]{0,62}$/, { error: 'expected an option value in lowercase snake_case' })
export type OptionValue = z.infer<typeof OptionValue>

/** One explicit choice: the value stored in the answer, and its label in each language. */
export const ChoiceOption = z.object({ value: OptionValue, label: MultilingualText }).strict()
export type ChoiceOption = z.infer<typeof ChoiceOption>

/** A media type or a type wildcard accepted by an attachment question (`image/jpeg`, `image/*`). */
export const MediaTypePattern = z
  .string()
  .regex(/^[a-z]+\/(\*|[a-z0-9.+-]+)$/, { error: 'expected a media type such as image/jpeg or image/*' })

const common = {
  id: QuestionId,
  label: MultilingualText,
  help: MultilingualText.optional(),
  /** A required question must be answered whenever it is shown. */
  required: z.boolean().default(false),
  showIf: Condition.optional(),
}
const maps = z.enum(MAP_TARGETS).optional()
const int = (min: number, max: number) => z.number().int().min(min).max(max)

/**
 * Builds the question schemas for a way of giving choices: a definition may name a codebook
 * section (`optionsFrom`); a compiled questionnaire lists every option explicitly.
 */
function questionSchemas<C extends z.core.$ZodLooseShape>(choice: C) {
  const shortText = z
    .object({
      ...common,
      kind: z.literal('short_text'),
      maps,
      maxLength: int(1, QUESTION_LIMITS.shortTextMax).default(200),
    })
    .strict()
  const longText = z
    .object({
      ...common,
      kind: z.literal('long_text'),
      maps,
      maxLength: int(1, QUESTION_LIMITS.longTextMax).default(10_000),
    })
    .strict()
  const singleChoice = z.object({ ...common, kind: z.literal('single_choice'), maps, ...choice }).strict()
  const multipleChoice = z
    .object({
      ...common,
      kind: z.literal('multiple_choice'),
      maps,
      ...choice,
      min: int(0, QUESTION_LIMITS.options).default(0),
      max: int(1, QUESTION_LIMITS.options).optional(),
    })
    .strict()
  const country = z.object({ ...common, kind: z.literal('country'), maps }).strict()
  const date = z
    .object({
      ...common,
      kind: z.literal('date'),
      maps,
      precisions: z
        .array(z.enum(DATE_PRECISIONS))
        .min(1)
        .max(DATE_PRECISIONS.length)
        .refine((p) => new Set(p).size === p.length, { error: 'a precision is listed twice' })
        .default([...DATE_PRECISIONS]),
    })
    .strict()
  const number = z
    .object({
      ...common,
      kind: z.literal('number'),
      maps,
      min: z.number().refine(Number.isFinite).optional(),
      max: z.number().refine(Number.isFinite).optional(),
      integer: z.boolean().default(false),
    })
    .strict()
  const yesNo = z.object({ ...common, kind: z.literal('yes_no'), maps }).strict()
  const attachment = z
    .object({
      ...common,
      kind: z.literal('attachment'),
      accept: z.array(MediaTypePattern).min(1).max(20),
      maxFiles: int(1, QUESTION_LIMITS.attachmentFiles).default(1),
      maxBytes: int(1, QUESTION_LIMITS.attachmentBytes).default(10 * 1024 * 1024),
    })
    .strict()
  const question = z.discriminatedUnion('kind', [
    shortText,
    longText,
    singleChoice,
    multipleChoice,
    country,
    date,
    number,
    yesNo,
    attachment,
  ])
  const group = z
    .object({
      ...common,
      kind: z.literal('group'),
      /** Each instance becomes one incident or one relative; without it, answers are only kept. */
      maps: z.enum(GROUP_TARGETS).optional(),
      /** The heading of one instance ("Incident", "Relative"); the page numbers them. */
      itemLabel: MultilingualText,
      /** The button that adds an instance ("Add another incident"). */
      addLabel: MultilingualText,
      min: int(0, QUESTION_LIMITS.groupInstances).default(0),
      max: int(1, QUESTION_LIMITS.groupInstances).default(20),
      items: z.array(question).min(1).max(QUESTION_LIMITS.groupItems),
    })
    .strict()
  const item = z.discriminatedUnion('kind', [
    shortText,
    longText,
    singleChoice,
    multipleChoice,
    country,
    date,
    number,
    yesNo,
    attachment,
    group,
  ])
  return { question, group, item }
}

const definitionSchemas = questionSchemas({
  options: z.array(ChoiceOption).min(1).max(QUESTION_LIMITS.options).optional(),
  /** Take the options from this codebook section: values are its codes, labels its labels. */
  optionsFrom: z.enum(SECTION_NAMES).optional(),
})
const compiledSchemas = questionSchemas({
  options: z.array(ChoiceOption).min(1).max(QUESTION_LIMITS.options),
})

/** A question as written in a definition (choices may come from the codebook). */
export const QuestionDefinition = definitionSchemas.question
export type QuestionDefinition = z.infer<typeof QuestionDefinition>
/** A repeatable group as written in a definition. */
export const GroupDefinition = definitionSchemas.group
export type GroupDefinition = z.infer<typeof GroupDefinition>
/** A section's item in a definition: a question or a group. */
export const ItemDefinition = definitionSchemas.item
export type ItemDefinition = z.infer<typeof ItemDefinition>

/** A question of a compiled questionnaire: every choice lists its options. What the page renders. */
export const Question = compiledSchemas.question
export type Question = z.infer<typeof Question>
/** A repeatable group of a compiled questionnaire. */
export const Group = compiledSchemas.group
export type Group = z.infer<typeof Group>
/** A section's item in a compiled questionnaire. */
export const Item = compiledSchemas.item
export type Item = z.infer<typeof Item>
/** A compiled choice question. */
export type ChoiceQuestion = Extract<Question, { kind: 'single_choice' | 'multiple_choice' }>

/** True for a repeatable group (narrows the item). */
export function isGroup<I extends { kind: string }>(item: I): item is Extract<I, { kind: 'group' }> {
  return item.kind === 'group'
}
