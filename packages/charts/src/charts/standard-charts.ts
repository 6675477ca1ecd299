import { countryName, labelOf, type Codebook, type CoreLanguage, type SectionName } from '@amanat/domain'
import type { TopLevelSpec } from 'vega-lite'
import { CHART_MESSAGES } from '../messages.ts'
import { valueOn, type PublishedTable } from '../published-table.ts'
import { barChartSpec } from './bar-chart.ts'
import { heatmapSpec } from './heatmap.ts'
import { worldMapSpec } from './world-map.ts'

/**
 * The report's four charts, each drawn from one published table: the seed report's types of
 * harassment, the world map of residence countries, incidents' years, and channel × perpetrator.
 * Codes become labels in the chosen language from the codebook; countries are named by the
 * platform's locale data.
 */

export interface ChartContext {
  readonly codebook: Codebook
  readonly language: CoreLanguage
}

/** The codebook section a coded stats dimension draws its labels from. */
const SECTION_OF: Readonly<Record<string, SectionName>> = {
  incident_type: 'harassment_types',
  channel: 'channels',
  perpetrator: 'perpetrators',
  ethnicity: 'ethnicities',
  status: 'residence_statuses',
}

/** The label of `value` on `dimension` in `language`: a codebook label, a country name, or the value itself. */
export function dimensionLabel(dimension: string, value: string, context: ChartContext): string {
  const section = SECTION_OF[dimension]
  if (section !== undefined) return labelOf(context.codebook, section, value, context.language)
  if (dimension === 'residence_country') return countryName(value, context.language)
  return value
}

function expectDimensions(table: PublishedTable, dimensions: readonly string[]): void {
  if (table.dimensions.join(',') !== dimensions.join(',')) {
    throw new Error(`chart expects a table by ${dimensions.join(' × ')}, got ${table.dimensions.join(' × ')}`)
  }
}

/** Respondents per type of harassment (a table by `incident_type`), in codebook order. */
export function harassmentTypesChart(table: PublishedTable, context: ChartContext): TopLevelSpec {
  expectDimensions(table, ['incident_type'])
  const words = CHART_MESSAGES[context.language]
  const rows = table.cells.map((cell) => ({
    label: dimensionLabel('incident_type', valueOn(cell, 'incident_type'), context),
    count: cell.count,
  }))
  return barChartSpec(rows, {
    title: words.harassmentTypes,
    countTitle: words.respondents,
    categoryTitle: null,
    suppressedWord: words.suppressed,
    orientation: 'horizontal',
  })
}

/** Respondents by year of incident (a table by `year`), oldest first. */
export function yearsChart(table: PublishedTable, context: ChartContext): TopLevelSpec {
  expectDimensions(table, ['year'])
  const words = CHART_MESSAGES[context.language]
  const rows = table.cells
    .map((cell) => ({ label: valueOn(cell, 'year'), count: cell.count }))
    .sort((a, b) => a.label.localeCompare(b.label, 'en'))
  return barChartSpec(rows, {
    title: words.years,
    countTitle: words.respondents,
    categoryTitle: words.year,
    suppressedWord: words.suppressed,
    orientation: 'vertical',
  })
}

/** Respondents by country of residence (a table by `residence_country`) on a world map. */
export function countriesMap(table: PublishedTable, context: ChartContext): TopLevelSpec {
  expectDimensions(table, ['residence_country'])
  const words = CHART_MESSAGES[context.language]
  const counts = table.cells.map((cell) => {
    const country = valueOn(cell, 'residence_country')
    return { country, name: countryName(country, context.language), count: cell.count }
  })
  return worldMapSpec(counts, { title: words.countries, countTitle: words.respondents })
}

/** Respondents by channel and perpetrator (a table by `channel,perpetrator`) as a heatmap. */
export function channelPerpetratorChart(table: PublishedTable, context: ChartContext): TopLevelSpec {
  expectDimensions(table, ['channel', 'perpetrator'])
  const words = CHART_MESSAGES[context.language]
  const label = (dimension: string, value: string) => dimensionLabel(dimension, value, context)
  const cells = table.cells.map((cell) => ({
    row: label('channel', valueOn(cell, 'channel')),
    column: label('perpetrator', valueOn(cell, 'perpetrator')),
    count: cell.count,
  }))
  const order = (key: 'row' | 'column') => [...new Set(cells.map((cell) => cell[key]))]
  return heatmapSpec(cells, {
    title: words.channelPerpetrator,
    rowTitle: words.channel,
    columnTitle: words.perpetrator,
    countTitle: words.respondents,
    suppressedWord: words.suppressed,
    rowOrder: order('row'),
    columnOrder: order('column'),
  })
}
