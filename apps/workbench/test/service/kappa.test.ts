import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PROPERTY_RUNS } from '../../../../tools/test-support/profile.ts'
import { cohenKappa, countsFor } from '../../src/service/index.ts'

const TYPES = ['a', 'b', 'c', 'd'] as const
const coding = fc
  .uniqueArray(fc.constantFrom(...TYPES), { maxLength: TYPES.length })
  .map((types) => new Set<string>(types))
const pairs = fc.array(fc.tuple(coding, coding), { minLength: 1, maxLength: 60 })

describe("Cohen's kappa", () => {
  it('matches the textbook example (Wikipedia: 20/5/10/15 gives 0.4)', () => {
    const result = cohenKappa({ both: 20, firstOnly: 5, secondOnly: 10, neither: 15 })
    expect(result.n).toBe(50)
    expect(result.observed).toBeCloseTo(0.7, 12)
    expect(result.expected).toBeCloseTo(0.5, 12)
    expect(result.kappa).toBeCloseTo(0.4, 12)
  })

  it('is undefined when both coders give one constant answer, and for no data', () => {
    expect(cohenKappa({ both: 0, firstOnly: 0, secondOnly: 0, neither: 9 }).kappa).toBeNull()
    expect(cohenKappa({ both: 0, firstOnly: 0, secondOnly: 0, neither: 0 }).kappa).toBeNull()
  })

  it('is 1 for identical codings that vary', () => {
    fc.assert(
      fc.property(fc.array(coding, { minLength: 1, maxLength: 60 }), (codings) => {
        for (const type of TYPES) {
          const result = cohenKappa(
            countsFor(
              type,
              codings.map((c) => [c, c] as const),
            ),
          )
          if (result.kappa !== null) expect(result.kappa).toBeCloseTo(1, 12)
          expect(result.observed).toBe(1)
        }
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })

  it('is symmetric in the two coders and never above 1', () => {
    fc.assert(
      fc.property(pairs, (paired) => {
        for (const type of TYPES) {
          const forward = cohenKappa(countsFor(type, paired))
          const backward = cohenKappa(
            countsFor(
              type,
              paired.map(([a, b]) => [b, a] as const),
            ),
          )
          expect(backward.n).toBe(forward.n)
          if (forward.kappa === null) expect(backward.kappa).toBeNull()
          else {
            expect(backward.kappa).toBeCloseTo(forward.kappa, 12)
            expect(forward.kappa).toBeLessThanOrEqual(1 + 1e-12)
            expect(forward.kappa).toBeGreaterThanOrEqual(-1 - 1e-12)
          }
        }
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })
})
