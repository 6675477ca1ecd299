import type { TopLevelSpec } from 'vega-lite'
import { SUPPRESSED_FILL } from '../render.ts'
import { CHART_CONFIG, countColor } from './chart-style.ts'

/** One cell of a two-way table: its row and column labels and published count (null: suppressed). */
export interface HeatmapCell {
  readonly row: string
  readonly column: string
  readonly count: number | null
}

export interface HeatmapOptions {
  readonly title: string
  readonly rowTitle: string
  readonly columnTitle: string
  readonly countTitle: string
  readonly suppressedWord: string
  readonly rowOrder: readonly string[]
  readonly columnOrder: readonly string[]
}

/**
 * A two-way table as shaded cells with their counts written in. Suppressed cells are hatched and
 * say "suppressed"; zeros are shown as 0 (a zero is not sensitive, and it is not the same as unknown).
 */
export function heatmapSpec(cells: readonly HeatmapCell[], options: HeatmapOptions): TopLevelSpec {
  const values = cells.map((cell) => ({ ...cell, suppressed: cell.count === null }))
  const color = countColor(
    cells.map((cell) => cell.count),
    options.countTitle,
  )
  const top = color.scale.domain[1]
  const position = {
    x: {
      field: 'column',
      type: 'nominal',
      sort: options.columnOrder,
      title: options.columnTitle,
      axis: { labelAngle: -40, labelLimit: 160 },
    },
    y: { field: 'row', type: 'nominal', sort: options.rowOrder, title: options.rowTitle },
  }
  return {
    title: options.title,
    config: CHART_CONFIG,
    width: { step: 62 },
    height: { step: 26 },
    data: { values },
    encoding: position,
    layer: [
      {
        transform: [{ filter: '!datum.suppressed' }],
        mark: { type: 'rect', stroke: '#ffffff' },
        encoding: { color },
      },
      {
        transform: [{ filter: 'datum.suppressed' }],
        mark: { type: 'rect', color: SUPPRESSED_FILL, stroke: '#ffffff' },
      },
      {
        transform: [{ filter: '!datum.suppressed' }],
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'count' },
          color: {
            condition: { test: `datum.count > ${String(top / 2)}`, value: '#ffffff' },
            value: '#111111',
          },
        },
      },
      {
        transform: [{ filter: 'datum.suppressed' }],
        mark: { type: 'text', fontSize: 8, fontStyle: 'italic', color: '#222222' },
        encoding: { text: { value: options.suppressedWord } },
      },
    ],
  } as TopLevelSpec
}
