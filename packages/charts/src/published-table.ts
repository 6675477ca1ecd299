import type { PublishedCell } from '@amanat/disclosure'

/**
 * Charts take only tables as they leave disclosure control (`@amanat/disclosure`'s published
 * table, the `stats --json` shape): nothing a chart draws can bypass it.
 */
export { PublishedTableSchema, type PublishedCell, type PublishedTable } from '@amanat/disclosure'

/** The value of `cell` on `dimension`; an internal error when the table is not shaped as it says. */
export function valueOn(cell: PublishedCell, dimension: string): string {
  const value = (cell as Readonly<Record<string, unknown>>)[dimension]
  if (typeof value !== 'string') throw new Error(`published cell has no value for dimension ${dimension}`)
  return value
}
