import { z } from 'zod'
import { Sha256Hex } from '../model/schema-helpers.ts'

/**
 * What one release published, as the release ledger keeps it (DESIGN.md, "Publication and
 * disclosure control"): every table's definition (dimensions and `--where` conditions) and its
 * published cells, so a later release of the same cell definition can be checked against it
 * (differencing). Counts only: no respondent is named or numbered here, so the event is
 * workspace-level and survives every erasure.
 *
 * Dimension names are plain identifiers here; `@amanat/disclosure` owns their vocabulary.
 */
const DimensionName = z.string().regex(/^[a-z][a-z_]{0,39}$/)
const CellValue = z.string().min(1).max(200)

/** One condition of a table's scope: `dimension = value`. */
export const ReleaseCondition = z.object({ dimension: DimensionName, value: CellValue }).strict()

/** One published table: its definition and its cells (`count` null when suppressed). */
export const ReleasedTable = z
  .object({
    dimensions: z.array(DimensionName).min(1).max(2),
    where: z.array(ReleaseCondition).max(10),
    respondents: z.number().int().min(0).nullable(),
    cells: z
      .array(
        z
          .object({ values: z.array(CellValue).min(1).max(2), count: z.number().int().min(0).nullable() })
          .strict(),
      )
      .max(100_000),
  })
  .strict()
export type ReleasedTable = z.infer<typeof ReleasedTable>

/** The kinds of release: a named `stats --release`, the report, the dashboard's charts. */
export const RELEASE_KINDS = ['stats', 'report', 'dashboard'] as const

/** A release as recorded: its name, kind, threshold, content digest and tables. */
export const ReleaseRecord = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, {
      error: 'expected a release name of letters, digits, dot, dash or underscore',
    }),
    kind: z.enum(RELEASE_KINDS),
    k: z.number().int().min(2).max(1000),
    /** SHA-256 of the canonical JSON of `tables` and `k`: the same content is the same release. */
    sha256: Sha256Hex,
    tables: z.array(ReleasedTable).min(1).max(200),
  })
  .strict()
export type ReleaseRecord = z.infer<typeof ReleaseRecord>
