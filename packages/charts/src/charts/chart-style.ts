import { FONT_STACK } from '../render.ts'

/** Look shared by every chart: fonts that cover our languages, no border, readable sizes. */
export const CHART_CONFIG = {
  font: FONT_STACK,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, labelLimit: 260 },
  title: { fontSize: 14, anchor: 'start' },
  background: '#ffffff',
} as const

export const BAR_COLOR = '#2f5f8a'

/**
 * The colour channel of a chart that shades by count (heatmap, world map): one blue scale from 0
 * to the largest published count, so suppressed cells (null) never set the scale's top.
 */
export function countColor(counts: readonly (number | null)[], title: string) {
  const top = Math.max(1, ...counts.flatMap((count) => (count === null ? [] : [count])))
  return {
    field: 'count',
    type: 'quantitative',
    title,
    scale: { scheme: 'blues', domain: [0, top] },
  } as const
}
