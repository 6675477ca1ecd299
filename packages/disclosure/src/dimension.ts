/**
 * The dimensions a statistical table can be cut by, named as the import columns (issue #5), so
 * a spreadsheet header, a `--by` flag and a key in a published cell are one vocabulary.
 *
 * Tables count respondents. A *multi-valued* dimension is a property of a respondent's incidents,
 * so one respondent can sit in several of its cells ("respondents with at least one incident of
 * this type"); a *single-valued* dimension is a property of the respondent and its cells add up
 * to the respondents in scope (DESIGN.md, "Publication and disclosure control").
 */
export const DIMENSIONS = [
  'incident_type',
  'channel',
  'perpetrator',
  'year',
  'residence_country',
  'continent',
  'ethnicity',
  'status',
  'collection_mode',
  'disclosure',
] as const
export type Dimension = (typeof DIMENSIONS)[number]

/** The dimensions whose cells overlap: properties of incidents, counted per respondent. */
export const MULTI_VALUED_DIMENSIONS = ['incident_type', 'channel', 'perpetrator', 'year'] as const
export type MultiValuedDimension = (typeof MULTI_VALUED_DIMENSIONS)[number]

/** The dimensions a table is cut by, in column order (`--by type,residence_country`). */
export type DimensionList = readonly Dimension[]

/** The dimension a table is cut by when none is given. */
export const DEFAULT_DIMENSION: Dimension = 'incident_type'

export function isDimension(name: string): name is Dimension {
  return (DIMENSIONS as readonly string[]).includes(name)
}

export function isMultiValued(dimension: Dimension): dimension is MultiValuedDimension {
  return (MULTI_VALUED_DIMENSIONS as readonly string[]).includes(dimension)
}
