import type { Dimension } from '@amanat/disclosure'

/** A table of the report: its file name and the dimensions it counts respondents by. */
export interface ReportTableQuery {
  readonly name: string
  readonly by: readonly Dimension[]
}

/**
 * The tables every report publishes, in page order, as one release through STATS's `publish`
 * (disclosure control and the release ledger). The charts draw the first four; the methodology
 * paragraph reads its numbers from the last three.
 */
export const REPORT_TABLES: readonly ReportTableQuery[] = [
  { name: 'harassment_types', by: ['incident_type'] },
  { name: 'residence_countries', by: ['residence_country'] },
  { name: 'incident_years', by: ['year'] },
  { name: 'channel_perpetrator', by: ['channel', 'perpetrator'] },
  { name: 'continents', by: ['continent'] },
  { name: 'collection_modes', by: ['collection_mode'] },
  { name: 'disclosure_wishes', by: ['disclosure'] },
]
