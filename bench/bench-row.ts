/** One benchmark figure: a median over several bounded runs, with a ratio to a baseline measured in the same run. */
export interface BenchRow {
  readonly name: string
  readonly unit: string
  readonly median: number
  readonly runs: readonly number[]
  readonly ratio?: { readonly to: string; readonly value: number }
  /** A target from the issue, as text (`≥ 0.5× plain`), shown beside the figure. */
  readonly target?: string
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  if (sorted.length === 0) return Number.NaN
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

export function formatRows(rows: readonly BenchRow[]): string {
  const lines = rows.map((r) => {
    const value = r.median >= 100 ? Math.round(r.median).toLocaleString('en') : r.median.toFixed(r.median >= 10 ? 1 : 3)
    const ratio = r.ratio === undefined ? '' : `  ${r.ratio.value.toFixed(2)}× ${r.ratio.to}`
    const target = r.target === undefined ? '' : `  (target ${r.target})`
    return `${r.name.padEnd(64)} ${value.padStart(12)} ${r.unit}${ratio}${target}`
  })
  return lines.join('\n')
}
