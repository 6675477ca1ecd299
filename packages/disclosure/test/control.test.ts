import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PROPERTY_RUNS } from '../../../tools/test-support/profile.ts'
import { controlRelease, Polytope, type CountedTable, type PublishedTable } from '../src/index.ts'

/**
 * Disclosure control checked against an attacker who enumerates every table consistent with
 * what was published. Tables are counted here from small synthetic microdata by plain loops,
 * independently of the workbench's cube.
 */

interface Person {
  readonly country: number | null
  readonly status: number
  readonly types: readonly boolean[]
}

const COUNTRIES = ['KZ', 'TR', 'US']
const STATUSES = ['citizen', 'refugee']
const TYPES = ['death_threat', 'surveillance', 'threat_to_relatives']

const person = fc.record({
  country: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 6 }),
  status: fc.integer({ min: 0, max: 1 }),
  types: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
})
const people = fc.array(person, { maxLength: 11 })

/** The kinds of table checked: every combination of single- and multi-valued dimensions. */
type Shape = 'country' | 'type' | 'country×status' | 'type×country'
const SHAPES: readonly Shape[] = ['country', 'type', 'country×status', 'type×country']

function count(data: readonly Person[], shape: Shape): CountedTable {
  const n = data.length
  const byCountry = COUNTRIES.map((_, c) => data.filter((p) => p.country === c).length)
  const byType = TYPES.map((_, t) => data.filter((p) => p.types[t] === true).length)
  switch (shape) {
    case 'country':
      return {
        dimensions: ['residence_country'],
        where: [],
        values: [COUNTRIES],
        counts: byCountry,
        margins: [],
        respondents: n,
      }
    case 'type':
      return {
        dimensions: ['incident_type'],
        where: [],
        values: [TYPES],
        counts: byType,
        margins: [],
        respondents: n,
      }
    case 'country×status':
      return {
        dimensions: ['residence_country', 'status'],
        where: [],
        values: [COUNTRIES.slice(0, 2), STATUSES],
        counts: [0, 1].flatMap((c) =>
          [0, 1].map((s) => data.filter((p) => p.country === c && p.status === s).length),
        ),
        margins: [
          byCountry.slice(0, 2),
          STATUSES.map((_, s) => data.filter((p) => p.status === s && p.country !== 2).length),
        ],
        respondents: n,
      }
    case 'type×country':
      return {
        dimensions: ['incident_type', 'residence_country'],
        where: [],
        values: [TYPES.slice(0, 2), COUNTRIES.slice(0, 2)],
        counts: [0, 1].flatMap((t) =>
          [0, 1].map((c) => data.filter((p) => p.types[t] === true && p.country === c).length),
        ),
        margins: [byType.slice(0, 2), byCountry.slice(0, 2)],
        respondents: n,
      }
  }
}

/**
 * What an attacker knows of a table of `shape`: the published counts, the total, and how
 * respondent counts add up. Returns whether the full cell vector `x` is consistent with it.
 */
function consistent(shape: Shape, x: readonly number[], n: number): boolean {
  const sum = x.reduce((a, b) => a + b, 0)
  switch (shape) {
    case 'country':
    case 'country×status':
      return sum <= n
    case 'type':
      return x.every((v) => v <= n)
    case 'type×country':
      // Each country holds at least as many respondents as any type has there.
      return Math.max(x[0] ?? 0, x[2] ?? 0) + Math.max(x[1] ?? 0, x[3] ?? 0) <= n
  }
}

/** Every suppressed cell's [min, max] over all cell vectors consistent with the publication. */
function attackerRanges(shape: Shape, table: PublishedTable): Map<number, [number, number]> | null {
  const n = table.respondents
  if (n === null) return null // no total: the suppressed cells are unbounded above
  const hidden = table.cells.flatMap((cell, i) => (cell.suppressed ? [i] : []))
  const ranges = new Map<number, [number, number]>()
  const x = table.cells.map((cell) => cell.count ?? 1)
  const visit = (h: number): void => {
    if (h === hidden.length) {
      if (!consistent(shape, x, n)) return
      for (const i of hidden) {
        const [lo, hi] = ranges.get(i) ?? [Infinity, -Infinity]
        ranges.set(i, [Math.min(lo, x[i] ?? 0), Math.max(hi, x[i] ?? 0)])
      }
      return
    }
    for (let v = 1; v <= n; v++) {
      x[hidden[h] as number] = v
      visit(h + 1)
    }
  }
  visit(0)
  return ranges
}

describe('controlRelease', () => {
  it('publishes no count in [1, k−1], and every suppressed cell spans at least k for an enumerating attacker', () => {
    fc.assert(
      fc.property(people, fc.constantFrom(...SHAPES), fc.integer({ min: 2, max: 4 }), (data, shape, k) => {
        const [table] = controlRelease([count(data, shape)], { k }).tables
        if (table === undefined) throw new Error('no table')
        for (const cell of table.cells) {
          expect(cell.count === null || cell.count === 0 || cell.count >= k).toBe(true)
          expect(cell.suppressed).toBe(cell.count === null)
        }
        expect(table.respondents === null || table.respondents === 0 || table.respondents >= k).toBe(true)
        const ranges = attackerRanges(shape, table)
        if (ranges === null) return
        for (const [i, [lo, hi]] of ranges) expect(hi - lo, `cell ${String(i)}`).toBeGreaterThanOrEqual(k)
      }),
      { numRuns: PROPERTY_RUNS * 4 },
    )
  })

  it('never lets a cell move by 1 to k−1 between two releases of the same table', () => {
    fc.assert(
      fc.property(
        people,
        fc.array(person, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...SHAPES),
        fc.integer({ min: 2, max: 4 }),
        (data, added, shape, k) => {
          const first = controlRelease([count(data, shape)], { k })
          const earlier = first.tables.map((t, i) => ({
            dimensions: t.dimensions,
            where: [],
            cells: t.cells.map((c) => ({ values: t.dimensions.map((d) => c[d] ?? ''), count: c.count })),
            index: i,
          }))
          const second = controlRelease([count([...data, ...added], shape)], { k, earlier })
          const before = first.tables[0]?.cells ?? []
          second.tables[0]?.cells.forEach((cell, i) => {
            const old = before[i]?.count ?? null
            if (cell.count === null || old === null) return
            const moved = Math.abs(cell.count - old)
            expect(moved === 0 || moved >= k).toBe(true)
          })
        },
      ),
      { numRuns: PROPERTY_RUNS * 4 },
    )
  })

  it('protects a cell of a two-way table against the one-way table published beside it', () => {
    // Country totals 20 and 20; TR has 2 refugees. Alone, TR×refugee would follow from TR's total
    // minus TR×citizen, so a second cell in the TR row and column must go too.
    const twoWay: CountedTable = {
      dimensions: ['residence_country', 'status'],
      where: [],
      values: [['KZ', 'TR'], STATUSES],
      counts: [12, 8, 18, 2],
      margins: [
        [20, 20],
        [30, 10],
      ],
      respondents: 40,
    }
    const oneWay: CountedTable = {
      dimensions: ['residence_country'],
      where: [],
      values: [['KZ', 'TR']],
      counts: [20, 20],
      margins: [],
      respondents: 40,
    }
    const { tables, suppressed } = controlRelease([oneWay, twoWay], { k: 5 })
    const cells = tables[1]?.cells ?? []
    expect(cells.filter((c) => c.suppressed).length).toBe(4)
    expect(suppressed.filter((s) => s.reason === 'primary')).toEqual([
      { table: 1, cell: { residence_country: 'TR', status: 'refugee' }, reason: 'primary' },
    ])
    expect(tables[0]?.cells.every((c) => !c.suppressed)).toBe(true)
  })

  it('lists suppressed totals as null respondents', () => {
    const tiny: CountedTable = {
      dimensions: ['incident_type'],
      where: [],
      values: [['a', 'b']],
      counts: [3, 0],
      margins: [],
      respondents: 3,
    }
    const [table] = controlRelease([tiny], { k: 5 }).tables
    expect(table).toEqual({
      dimensions: ['incident_type'],
      k: 5,
      respondents: null,
      cells: [
        { incident_type: 'a', count: null, suppressed: true },
        { incident_type: 'b', count: 0, suppressed: false },
      ],
    })
  })
})

describe('Polytope', () => {
  it('finds the bounds of a transportation table with two unknown cells', () => {
    // x0 + x1 = 7, x0 ≤ 5 (as x0 + s = 5), both ≥ 1.
    const p = new Polytope({
      lower: [1, 1],
      constraints: [
        {
          terms: [
            [0, 1],
            [1, 1],
          ],
          sense: 'eq',
          rhs: 7,
        },
        { terms: [[0, 1]], sense: 'le', rhs: 5 },
      ],
    })
    expect(p.range(0)).toEqual({ min: 1, max: 5 })
    expect(p.range(1)).toEqual({ min: 2, max: 6 })
  })

  it('reports an unbounded maximum as Infinity', () => {
    const p = new Polytope({
      lower: [1, 0],
      constraints: [
        {
          terms: [
            [0, 1],
            [1, -1],
          ],
          sense: 'le',
          rhs: 0,
        },
      ],
    })
    expect(p.range(0).max).toBe(Infinity)
  })
})
