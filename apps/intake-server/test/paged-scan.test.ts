import { describe, expect, it } from 'vitest'
import { scanInPages } from '../src/storage/paged-scan.ts'

describe('scanInPages', () => {
  it('reads every row once, in key order, across several pages and gaps in the keys', async () => {
    // Keys with gaps (deleted rows), more than two pages' worth.
    const table = Array.from({ length: 25_001 }, (_, i) => ({ key: 3 * i + 1 }))
    const asked: number[] = []
    const seen: number[] = []
    await scanInPages(
      (after, limit) => {
        asked.push(after)
        return Promise.resolve(table.filter((row) => row.key > after).slice(0, limit))
      },
      (row) => row.key,
      (row) => seen.push(row.key),
    )
    expect(seen).toEqual(table.map((row) => row.key))
    expect(asked).toEqual([0, table[9_999]!.key, table[19_999]!.key, table[25_000]!.key])
  })

  it('asks once of an empty table', async () => {
    let calls = 0
    await scanInPages(
      () => {
        calls += 1
        return Promise.resolve([])
      },
      () => 0,
      () => undefined,
    )
    expect(calls).toBe(1)
  })
})
