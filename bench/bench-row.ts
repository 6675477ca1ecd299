import { readFileSync } from 'node:fs'

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

/** A row whose figure is the median of `runs`. */
export function medianRow(name: string, unit: string, runs: readonly number[], target?: string): BenchRow {
  return { name, unit, median: median(runs), runs, ...(target === undefined ? {} : { target }) }
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

/** CPU seconds (user + system, every thread) a process has used so far, from /proc; NaN where unreadable. */
export function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name; clock ticks of 1/100 s on Linux.
    const fields = readFileSync(`/proc/${String(pid)}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}

/** Bytes a process has passed to write() and its kin so far (`wchar` in /proc/<pid>/io); NaN where unreadable. */
export function processWrittenBytes(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  try {
    const line = readFileSync(`/proc/${String(pid)}/io`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('wchar:'))
    return line === undefined ? Number.NaN : Number(line.slice('wchar:'.length))
  } catch {
    return Number.NaN
  }
}

/** The machine's CPU time so far, all cores, from /proc/stat: busy and total clock ticks; NaN where unreadable. */
export function machineCpuTicks(): { readonly busy: number; readonly total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
    // cpu user nice system idle iowait irq softirq steal …; idle and iowait are the time not working.
    const ticks = line.trim().split(/\s+/).slice(1).map(Number)
    const total = ticks.reduce((sum, t) => sum + t, 0)
    return { busy: total - (ticks[3] ?? 0) - (ticks[4] ?? 0), total }
  } catch {
    return { busy: Number.NaN, total: Number.NaN }
  }
}
