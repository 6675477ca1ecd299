import { z } from 'zod'
import { Code, LanguageTag } from '../model/schema-helpers.ts'

/**
 * The codebook: the organisation's taxonomy, versioned and multilingual (DESIGN.md, "Default
 * codebook"). Sections are fixed by the data model; the codes in them belong to the organisation,
 * which may extend the default. Every coding records the {@link CodebookRef} it used.
 *
 * A released code never changes meaning: a new meaning is a new code, and an old code is
 * deprecated, never deleted, so codings made under earlier versions stay valid.
 */
export const SECTION_NAMES = [
  'harassment_types',
  'channels',
  'perpetrators',
  'impacts',
  'residence_statuses',
  'ethnicities',
  'relative_statuses',
  'relations',
] as const
export type SectionName = (typeof SECTION_NAMES)[number]

/** A codebook's own id: lowercase letters, digits and dashes (`amanat-default`). */
export const CodebookId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, { error: 'expected an id in lowercase letters, digits and dashes' })

/** A codebook version, `major.minor.patch`. */
export const CodebookVersion = z
  .string()
  .regex(/^\d+\.\d+\.\d+$/, { error: 'expected a version such as 1.0.0' })

/** `<codebook id>@<version>`, e.g. `amanat-default@1.0.0`. */
export const CodebookRef = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}@\d+\.\d+\.\d+$/, {
    error: 'expected a codebook reference such as amanat-default@1.0.0',
  })
  .brand<'CodebookRef'>()
export type CodebookRef = z.infer<typeof CodebookRef>

const Labels = z.record(LanguageTag, z.string().trim().min(1, { error: 'a label cannot be empty' }).max(200))

export const CodeEntry = z
  .object({
    code: Code,
    labels: Labels,
    description: z.record(LanguageTag, z.string().trim().min(1).max(2000)).optional(),
    /** A deprecated code stays valid for old codings but is not offered for new ones. */
    deprecated: z.boolean().optional(),
  })
  .strict()
export type CodeEntry = z.infer<typeof CodeEntry>

const Sections = z
  .object(
    Object.fromEntries(SECTION_NAMES.map((name) => [name, z.array(CodeEntry).min(1)])) as {
      [K in SectionName]: z.ZodArray<typeof CodeEntry>
    },
  )
  .strict()

const uniqueLanguages = (langs: readonly string[]) => new Set(langs).size === langs.length

export const Codebook = z
  .object({
    id: CodebookId,
    version: CodebookVersion,
    /** The languages every label must be given in. English is always required. */
    languages: z
      .array(LanguageTag)
      .min(1)
      .refine((langs) => langs.includes('en'), { error: 'the languages must include en' })
      .refine(uniqueLanguages, { error: 'a language is listed twice' }),
    /**
     * Languages added by an extension ({@link CodebookExtension}): the entries it added are
     * labelled in them, the entries it inherited may not be and are shown in English instead.
     */
    partialLanguages: z
      .array(LanguageTag)
      .min(1)
      .refine(uniqueLanguages, { error: 'a language is listed twice' })
      .optional(),
    /** The codebook this one extends (`amanat-default@1.0.0`), when it was built by extension. */
    basedOn: CodebookRef.optional(),
    sections: Sections,
  })
  .strict()
  .superRefine((book, ctx) => {
    const known = new Set([...book.languages, ...(book.partialLanguages ?? [])])
    for (const lang of book.partialLanguages ?? []) {
      if (book.languages.includes(lang)) {
        ctx.addIssue({
          code: 'custom',
          message: `${lang} is already one of the languages`,
          path: ['partialLanguages'],
        })
      }
    }
    for (const name of SECTION_NAMES) {
      const seen = new Set<string>()
      book.sections[name].forEach((entry, index) => {
        const at = ['sections', name, index]
        if (seen.has(entry.code)) {
          ctx.addIssue({
            code: 'custom',
            message: `the code ${entry.code} appears twice in ${name}`,
            path: [...at, 'code'],
          })
        }
        seen.add(entry.code)
        for (const lang of book.languages) {
          if (entry.labels[lang] === undefined) {
            ctx.addIssue({
              code: 'custom',
              message: `missing the ${lang} label`,
              path: [...at, 'labels', lang],
            })
          }
        }
        // An undeclared language is nearly always a typo (uy for ug) that would hide a label.
        for (const [field, texts] of [
          ['labels', entry.labels],
          ['description', entry.description ?? {}],
        ] as const) {
          for (const lang of Object.keys(texts)) {
            if (!known.has(lang)) {
              ctx.addIssue({
                code: 'custom',
                message: `${lang} is not one of the codebook's languages`,
                path: [...at, field, lang],
              })
            }
          }
        }
      })
    }
  })
export type Codebook = z.infer<typeof Codebook>

/**
 * An organisation's extension of a codebook, as written in its YAML file: the codebook it
 * `extends`, its own `id` and `version`, optional extra `languages`, new codes per section (the
 * same entry shape as the base file) and, per section, codes to `deprecate`. The checks that need
 * the base (the reference matches, codes are new, deprecated codes exist) are made by
 * `extendCodebook`.
 */
export const CodebookExtension = z
  .object({
    extends: CodebookRef,
    id: CodebookId,
    version: CodebookVersion,
    languages: z
      .array(LanguageTag)
      .min(1)
      .refine(uniqueLanguages, { error: 'a language is listed twice' })
      .optional(),
    sections: z
      .object(
        Object.fromEntries(SECTION_NAMES.map((name) => [name, z.array(CodeEntry).min(1).optional()])) as {
          [K in SectionName]: z.ZodOptional<z.ZodArray<typeof CodeEntry>>
        },
      )
      .strict()
      .optional(),
    deprecate: z
      .object(
        Object.fromEntries(SECTION_NAMES.map((name) => [name, z.array(Code).min(1).optional()])) as {
          [K in SectionName]: z.ZodOptional<z.ZodArray<typeof Code>>
        },
      )
      .strict()
      .optional(),
  })
  .strict()
export type CodebookExtension = z.infer<typeof CodebookExtension>
