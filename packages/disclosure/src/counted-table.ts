import type { DimensionList } from './dimension.ts'

/** One condition of a table's scope (`--where residence_country=TR`). */
export interface Condition {
  readonly dimension: string
  readonly value: string
}

/**
 * A table as counted inside the workspace, before disclosure control: true counts, for the
 * analyst's eyes only. It never leaves the team; {@link controlRelease} turns it into a
 * {@link PublishedTable}.
 *
 * - `values[d]`: the values of dimension `d`, in the order cells are listed.
 * - `counts`: respondents per cell, row-major (the last dimension varies fastest).
 * - `margins[d]`: for a two-way table, respondents per value of dimension `d` in the same scope
 *   (the one-way table of `d`): what additivity relates the cells to. Empty for one-way tables.
 * - `respondents`: respondents in scope.
 */
export interface CountedTable {
  readonly dimensions: DimensionList
  readonly where: readonly Condition[]
  readonly values: readonly (readonly string[])[]
  readonly counts: readonly number[]
  readonly margins: readonly (readonly number[])[]
  readonly respondents: number
}

/** The cells of a table as value tuples, in `counts` order. */
export function cellValues(table: Pick<CountedTable, 'values'>): string[][] {
  let tuples: string[][] = [[]]
  for (const values of table.values) tuples = tuples.flatMap((tuple) => values.map((v) => [...tuple, v]))
  return tuples
}

/** A table's definition as text: its dimensions and its scope, conditions sorted. Tables with the same definition are compared by differencing. */
export function tableDefinition(table: {
  readonly dimensions: readonly string[]
  readonly where: readonly Condition[]
}): string {
  return JSON.stringify([table.dimensions, scopeKey(table.where)])
}

/** A scope as text: its conditions sorted, so `a=1,b=2` and `b=2,a=1` are the same scope. */
export function scopeKey(where: readonly Condition[]): string {
  return JSON.stringify(
    [...where]
      .map((c) => [c.dimension, c.value])
      .sort((a, b) => (a.join('\u0000') < b.join('\u0000') ? -1 : 1)),
  )
}
