import type { TopLevelSpec } from 'vega-lite'
import { SUPPRESSED_FILL } from '../render.ts'
import { BAR_COLOR, CHART_CONFIG } from './chart-style.ts'

/** One bar: a label and its published count, or a suppressed cell (count null). */
export interface BarRow {
  readonly label: string
  readonly count: number | null
}

export interface BarChartOptions {
  readonly title: string
  readonly countTitle: string
  readonly categoryTitle: string | null
  readonly suppressedWord: string
  /** `horizontal`: categories down the side (long labels); `vertical`: along the bottom (years). */
  readonly orientation: 'horizontal' | 'vertical'
}

/**
 * A bar chart of respondent counts in the given row order. A suppressed row gets a hatched band
 * across the plot and the word "suppressed" in place of a number: it must read as unknown, never
 * as zero or as a small bar.
 */
export function barChartSpec(rows: readonly BarRow[], options: BarChartOptions): TopLevelSpec {
  const published = rows.flatMap((row) => (row.count === null ? [] : [row.count]))
  const top = Math.max(1, ...published)
  const values = rows.map((row) => ({
    label: row.label,
    count: row.count,
    suppressed: row.count === null,
    lo: 0,
    hi: top,
  }))
  const horizontal = options.orientation === 'horizontal'
  const [valueAxis, categoryAxis] = horizontal ? (['x', 'y'] as const) : (['y', 'x'] as const)
  const countScale = { domain: [0, top] }
  const textAt = horizontal
    ? { align: 'left', dx: 4, baseline: 'middle' }
    : { align: 'center', dy: -6, baseline: 'bottom' }
  return {
    title: options.title,
    config: CHART_CONFIG,
    width: horizontal ? 420 : { step: 34 },
    height: horizontal ? { step: 22 } : 260,
    data: { values },
    encoding: {
      [categoryAxis]: {
        field: 'label',
        type: 'nominal',
        sort: rows.map((row) => row.label),
        title: options.categoryTitle,
        axis: horizontal ? {} : { labelAngle: 0 },
      },
    },
    layer: [
      {
        transform: [{ filter: '!datum.suppressed' }],
        mark: { type: 'bar', color: BAR_COLOR },
        encoding: {
          [valueAxis]: { field: 'count', type: 'quantitative', title: options.countTitle, scale: countScale },
        },
      },
      {
        transform: [{ filter: 'datum.suppressed' }],
        mark: { type: 'bar', color: SUPPRESSED_FILL, stroke: '#8a8a8a', strokeDash: [3, 2] },
        encoding: {
          [valueAxis]: { field: 'lo', type: 'quantitative', scale: countScale },
          [`${valueAxis}2`]: { field: 'hi' },
        },
      },
      {
        transform: [{ filter: '!datum.suppressed' }],
        mark: { type: 'text', fontSize: 10, ...textAt },
        encoding: {
          [valueAxis]: { field: 'count', type: 'quantitative', scale: countScale },
          text: { field: 'count' },
        },
      },
      {
        transform: [{ filter: 'datum.suppressed' }],
        mark: {
          type: 'text',
          fontSize: 10,
          fontStyle: 'italic',
          color: '#333333',
          ...textAt,
          ...(horizontal ? {} : { angle: 270, align: 'left', dy: 0, dx: 4, baseline: 'middle' }),
        },
        encoding: {
          [valueAxis]: { field: 'lo', type: 'quantitative', scale: countScale },
          text: { value: options.suppressedWord },
        },
      },
    ],
  } as TopLevelSpec
}
