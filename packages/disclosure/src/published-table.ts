import { z } from 'zod'
import { DIMENSIONS, type Dimension, type DimensionList } from './dimension.ts'

/**
 * One cell of a published table: its value on each of the table's dimensions (codes, ISO
 * country codes, continents, years as text: `{"incident_type": "death_threat", "year": "2019"}`),
 * then its count. `count` is `null` exactly when `suppressed` is true: a suppressed cell is drawn
 * and printed as suppressed, never as zero. Keys are the table's `dimensions`, nothing more.
 */
export type PublishedCell = { readonly [D in Dimension]?: string } & {
  readonly count: number | null
  readonly suppressed: boolean
}

/**
 * A table as it leaves the team — what `amanat stats --json` prints, and what the report, the
 * charts and the dashboard draw. Produced only by disclosure control (`publish`), so no `count`
 * lies in [1, k−1] and every suppressed cell's attacker bounds span at least k.
 *
 * - `dimensions`: the cut, in column order; every cell has exactly these keys besides `count`
 *   and `suppressed`.
 * - `k`: the threshold the release was controlled at.
 * - `respondents`: respondents in scope (after `--where` and consent), or `null` when that total
 *   is itself below k.
 * - `cells`: codebook dimensions list every code in codebook order (zeros included), countries
 *   and continents those present, years ascending; several dimensions vary the last fastest.
 */
export interface PublishedTable {
  readonly dimensions: DimensionList
  readonly k: number
  readonly respondents: number | null
  readonly cells: readonly PublishedCell[]
}

const Count = z.number().int().nonnegative()

/** Parses a published table read back from a file or the wire, checking its invariants. */
export const PublishedTableSchema = z
  .object({
    dimensions: z.array(z.enum(DIMENSIONS)).min(1),
    k: z.number().int().min(1),
    respondents: Count.nullable(),
    cells: z.array(
      z
        .object({ count: Count.nullable(), suppressed: z.boolean() })
        .catchall(z.string())
        .refine((cell) => (cell.count === null) === cell.suppressed, {
          error: 'count is null exactly when the cell is suppressed',
        }),
    ),
  })
  .strict()
  .refine(
    (table) =>
      table.cells.every((cell) => {
        const keys = Object.keys(cell).filter((key) => key !== 'count' && key !== 'suppressed')
        return keys.length === table.dimensions.length && table.dimensions.every((d) => d in cell)
      }),
    { error: 'every cell has exactly the dimensions of the table' },
  )
  .transform((table): PublishedTable => table as PublishedTable)
