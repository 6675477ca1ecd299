import { CORE_LANGUAGES } from '@amanat/domain'
import { z } from 'zod'

/**
 * `data.json`, the report's machine-readable content, and its JSON Schema (`data.schema.json`,
 * generated from this zod schema so the two cannot drift). It is a wire shape: only what is
 * named here is written, and everything in it has been through disclosure control (tables) or
 * the story checks (stories). No date of the build, no workspace name, no respondent key.
 */

const Count = z.number().int().min(0)

export const ReportCell = z
  .object({ count: Count.nullable(), suppressed: z.boolean() })
  .catchall(z.string())
  .describe(
    "One cell: its value on each of the table's dimensions, and its count (null exactly when suppressed).",
  )

export const ReportTable = z
  .object({
    name: z.string().regex(/^[a-z_]+$/),
    title: z.string(),
    dimensions: z.array(z.string()).min(1),
    respondents: Count.nullable().describe(
      'Respondents in scope; null when that total is itself suppressed.',
    ),
    labels: z
      .record(z.string(), z.record(z.string(), z.string()))
      .describe("Per dimension, the label of each value in the report's language."),
    cells: z.array(ReportCell),
  })
  .strict()
export type ReportTable = z.infer<typeof ReportTable>

export const ReportStory = z
  .object({
    pseudonym: z.string(),
    residenceCountry: z
      .string()
      .nullable()
      .describe("Where the respondent lives, when that country's count is published."),
    residenceContinent: z
      .string()
      .nullable()
      .describe("The continent instead, when the country's count is suppressed."),
    language: z.string(),
    title: z.string(),
    text: z.string(),
  })
  .strict()
export type ReportStory = z.infer<typeof ReportStory>

export const Methodology = z
  .object({
    respondents: Count.nullable(),
    countries: Count,
    continents: Count,
    collectionModes: z.array(z.object({ mode: z.string(), count: Count.nullable() }).strict()),
    anonymityPercent: z
      .number()
      .int()
      .min(0)
      .max(100)
      .nullable()
      .describe('Share of respondents who asked for anonymity, in whole percent; null when suppressed.'),
    firstYear: z.number().int().nullable(),
    lastYear: z.number().int().nullable(),
  })
  .strict()
export type Methodology = z.infer<typeof Methodology>

export const SuppressionLogEntry = z
  .object({
    table: z.string(),
    cell: z
      .record(z.string(), z.string())
      .nullable()
      .describe("The suppressed cell, or null for the table's respondent total."),
    reason: z.enum(['primary', 'complementary', 'differencing']),
  })
  .strict()
export type SuppressionLogEntry = z.infer<typeof SuppressionLogEntry>

export const DisclosureLog = z
  .object({
    k: z.number().int().min(2),
    rules: z.array(z.string()),
    suppressed: z.array(SuppressionLogEntry),
  })
  .strict()
export type DisclosureLog = z.infer<typeof DisclosureLog>

export const ReportData = z
  .object({
    format: z.literal('amanat-report/1'),
    language: z.enum(CORE_LANGUAGES),
    k: z.number().int().min(2),
    codebook: z.string(),
    methodology: Methodology,
    tables: z.array(ReportTable),
    stories: z.array(ReportStory),
  })
  .strict()
export type ReportData = z.infer<typeof ReportData>

/** `data.schema.json`: the JSON Schema of `data.json`. */
export function reportDataJsonSchema(): unknown {
  return z.toJSONSchema(ReportData, { target: 'draft-2020-12' })
}
