import { z } from 'zod'
import { AttachmentId, RespondentId, TestimonyId } from '../ids.ts'
import { Place } from './place.ts'
import { IsoDay, LanguageTag, Sha256Hex } from './schema-helpers.ts'

/** Free text as the respondent gave it, in its language. */
export const Narrative = z
  .object({
    language: LanguageTag,
    text: z.string().max(2 * 1024 * 1024),
  })
  .strict()
export type Narrative = z.infer<typeof Narrative>

/**
 * A file that came with a testimony. Its bytes live elsewhere (sealed); the record holds what an
 * analyst or a lawyer needs to check it. `originalName` is only ever stored inside encryption.
 */
export const Attachment = z
  .object({
    id: AttachmentId,
    mediaType: z
      .string()
      .regex(/^[a-z]+\/[a-z0-9.+-]+$/, { error: 'expected a media type such as image/jpeg' }),
    byteLength: z.number().int().nonnegative(),
    sha256: Sha256Hex,
    originalName: z.string().max(255).nullable(),
    /** True only when the respondent chose to keep the photo's metadata (EXIF/GPS/XMP). */
    metadataKept: z.boolean(),
  })
  .strict()
export type Attachment = z.infer<typeof Attachment>

/** How the testimony reached us: a questionnaire submission, an interview entered by a researcher, or an import of coded data. */
export const TestimonySource = z.discriminatedUnion('mode', [
  z
    .object({
      mode: z.literal('online'),
      questionnaireId: z.string().min(1).max(100),
      questionnaireVersion: z.string().min(1).max(50),
    })
    .strict(),
  z
    .object({
      mode: z.literal('interview'),
      /** The interviewer's label (an analyst profile or a field researcher's initials), never a respondent's. */
      interviewer: z.string().trim().min(1).max(100),
      date: IsoDay,
      place: Place,
      consentGivenOrally: z.boolean(),
    })
    .strict(),
  /**
   * Coded data brought in from a spreadsheet or JSON file (`amanat import`): no answers or text of
   * its own, only the respondent and incidents the file's rows describe. `label` names the batch
   * (the file's base name); it is stored inside encryption like everything else here.
   */
  z
    .object({
      mode: z.literal('import'),
      label: z.string().trim().min(1).max(200),
    })
    .strict(),
])
export type TestimonySource = z.infer<typeof TestimonySource>

/** A JSON value, as structured answers are stored. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** How deep lists and objects may nest in a JSON value (answers nest three or four levels). */
export const JSON_DEPTH_LIMIT = 32

/**
 * Checked without recursion: a recursive schema (`z.lazy`) overflowed the stack at about 3,000
 * levels and threw `RangeError` instead of refusing, and so would every recursive walk of the
 * value after it.
 */
export const JsonValue: z.ZodType<JsonValue> = z.custom<JsonValue>(
  (value) => isJsonValue(value, JSON_DEPTH_LIMIT),
  {
    message: `expected a JSON value (text, a finite number, true, false, null, lists and objects) nested at most ${String(JSON_DEPTH_LIMIT)} levels`,
  },
)

/**
 * Whether `root` is a JSON value (what `JSON.parse` can give: no `undefined`, functions, non-finite
 * numbers or class instances) whose lists and objects nest at most `maxDepth` levels. Iterative,
 * so any depth is answered, never a stack overflow: check a value from outside with it before a
 * recursive walk (a signature's canonical form, a schema with `z.lazy`) meets it.
 */
export function isJsonValue(root: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[root, 0]]
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [value, depth] = next
    if (value === null || typeof value === 'string' || typeof value === 'boolean') continue
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return false
      continue
    }
    if (typeof value !== 'object' || depth >= maxDepth) return false
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) stack.push([item, depth + 1])
      continue
    }
    const prototype: unknown = Object.getPrototypeOf(value)
    if (prototype !== Object.prototype && prototype !== null) return false
    for (const item of Object.values(value)) stack.push([item, depth + 1])
  }
  return true
}

/**
 * The account one respondent gave, in one questionnaire submission or one interview: the
 * structured answers as given, free text in any language, an analyst's translation, and files.
 */
export const Testimony = z
  .object({
    id: TestimonyId,
    respondentId: RespondentId,
    source: TestimonySource,
    /** The day it reached the workspace (pulled or entered). Never finer than a day. */
    receivedOn: IsoDay,
    answers: z.record(z.string(), JsonValue),
    narratives: z.array(Narrative).max(50),
    translation: Narrative.nullable(),
    attachments: z.array(Attachment).max(20),
  })
  .strict()
export type Testimony = z.infer<typeof Testimony>
