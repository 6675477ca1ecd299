import { createRequire } from 'node:module'
import type { TopLevelSpec } from 'vega-lite'
import { SUPPRESSED_FILL } from '../render.ts'
import { CHART_CONFIG, countColor } from './chart-style.ts'

const require = createRequire(import.meta.url)

/**
 * Natural Earth country shapes at 1:110m from the `world-atlas` package (TopoJSON, ids are ISO
 * 3166-1 numeric codes), read from disk: the map needs no tiles and makes no request. Countries
 * too small for that scale (Singapore, Bahrain…) have no shape; the report's tables list them.
 */
const WORLD: unknown = require('world-atlas/countries-110m.json')

/** ISO 3166-1 alpha-2 → numeric, generated from Debian's iso-codes (`iso_3166-1.json`). */
const ISO_NUMERIC = require('../map/iso-numeric.json') as Readonly<Record<string, string>>

/** One country's published count (null: suppressed), keyed by its alpha-2 code. */
export interface CountryCount {
  readonly country: string
  readonly name: string
  readonly count: number | null
}

export interface WorldMapOptions {
  readonly title: string
  readonly countTitle: string
}

/**
 * A choropleth of respondents by country of residence, in the Equal Earth projection. A country
 * with a suppressed count is hatched; a country with nobody in the table stays pale grey.
 */
export function worldMapSpec(counts: readonly CountryCount[], options: WorldMapOptions): TopLevelSpec {
  const rows = counts.flatMap((c) => {
    const id = ISO_NUMERIC[c.country]
    return id === undefined ? [] : [{ id, name: c.name, count: c.count, suppressed: c.count === null }]
  })
  const shapes = { values: WORLD, format: { type: 'topojson', feature: 'countries' } }
  const joined = [
    { lookup: 'id', from: { data: { values: rows }, key: 'id', fields: ['name', 'count', 'suppressed'] } },
  ]
  return {
    title: options.title,
    config: CHART_CONFIG,
    width: 640,
    height: 330,
    projection: { type: 'equalEarth' },
    layer: [
      { data: shapes, mark: { type: 'geoshape', fill: '#e6e6e6', stroke: '#ffffff', strokeWidth: 0.5 } },
      {
        data: shapes,
        transform: [...joined, { filter: 'isValid(datum.count)' }],
        mark: { type: 'geoshape', stroke: '#ffffff', strokeWidth: 0.5 },
        encoding: {
          color: countColor(
            rows.map((row) => row.count),
            options.countTitle,
          ),
          description: { field: 'name' },
        },
      },
      {
        data: shapes,
        transform: [...joined, { filter: 'datum.suppressed === true' }],
        mark: { type: 'geoshape', fill: SUPPRESSED_FILL, stroke: '#8a8a8a', strokeWidth: 0.5 },
        encoding: { description: { field: 'name' } },
      },
    ],
  } as TopLevelSpec
}
