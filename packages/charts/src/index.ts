/**
 * @amanat/charts — declarative charts and maps for releases, rendered in Node to SVG (text kept as
 * text) and PNG. Charts take only published tables (after disclosure control) and draw suppressed
 * cells as suppressed, never as zero.
 */
export { PublishedTableSchema, valueOn, type PublishedCell, type PublishedTable } from './published-table.ts'
export { CHART_MESSAGES, type ChartMessages } from './messages.ts'
/** A Vega-Lite specification, as every chart function returns it. */
export type { TopLevelSpec as ChartSpec } from 'vega-lite'
export { FONT_STACK, SUPPRESSED_PATTERN_ID, renderPng, renderSvg } from './render.ts'
export { barChartSpec, type BarRow, type BarChartOptions } from './charts/bar-chart.ts'
export { heatmapSpec, type HeatmapCell, type HeatmapOptions } from './charts/heatmap.ts'
export { worldMapSpec, type CountryCount, type WorldMapOptions } from './charts/world-map.ts'
export {
  channelPerpetratorChart,
  countriesMap,
  dimensionLabel,
  harassmentTypesChart,
  yearsChart,
  type ChartContext,
} from './charts/standard-charts.ts'
