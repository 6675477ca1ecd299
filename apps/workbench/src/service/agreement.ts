import type { WorkbenchSession } from './session.ts'
import type { TypeAgreement } from './types.ts'

/**
 * Inter-coder agreement on incident types. For each double-coded testimony, coder 1 is the
 * incidents recorded on it and coder 2 the independent coding (`coding.independent`); per
 * incident type, each coder says present or absent, and Cohen's kappa compares the two over all
 * double-coded testimonies.
 */

/** Counts of a 2×2 agreement table: both present, only coder 1, only coder 2, neither. */
export interface AgreementCounts {
  readonly both: number
  readonly firstOnly: number
  readonly secondOnly: number
  readonly neither: number
}

/**
 * Cohen's kappa of a 2×2 table: κ = (pₒ − pₑ) / (1 − pₑ), with pₒ the observed agreement and pₑ
 * the agreement expected from the coders' marginals. κ is null when pₑ = 1 (both coders gave the
 * same constant answer: chance explains everything and the ratio is undefined) or n = 0.
 */
export function cohenKappa(counts: AgreementCounts): {
  n: number
  observed: number
  expected: number
  kappa: number | null
} {
  const { both, firstOnly, secondOnly, neither } = counts
  const n = both + firstOnly + secondOnly + neither
  if (n === 0) return { n, observed: 0, expected: 0, kappa: null }
  const observed = (both + neither) / n
  const expected =
    ((both + firstOnly) * (both + secondOnly) + (secondOnly + neither) * (firstOnly + neither)) / (n * n)
  return { n, observed, expected, kappa: expected === 1 ? null : (observed - expected) / (1 - expected) }
}

/** The 2×2 counts for `type` over paired codings (each a set of types). */
export function countsFor(
  type: string,
  pairs: readonly (readonly [ReadonlySet<string>, ReadonlySet<string>])[],
): AgreementCounts {
  let both = 0
  let firstOnly = 0
  let secondOnly = 0
  let neither = 0
  for (const [first, second] of pairs) {
    const a = first.has(type)
    const b = second.has(type)
    if (a && b) both += 1
    else if (a) firstOnly += 1
    else if (b) secondOnly += 1
    else neither += 1
  }
  return { both, firstOnly, secondOnly, neither }
}

/** Rows per `in (…)` list, well under both dialects' parameter limits. */
const CHUNK = 500

/**
 * Kappa per incident type that either coder used, over every double-coded testimony, by type code.
 * Reads the independent codings (few: a sample) and the incidents of just those respondents.
 */
export async function agreement(session: WorkbenchSession): Promise<readonly TypeAgreement[]> {
  const db = session.store.db
  const codings = await db
    .selectFrom('independent_codings')
    .select(['respondent_no', 'testimony_id', 'types'])
    .execute()
  const key = (no: number, id: string) => `${String(no)}:${id}`
  const recorded = new Map<string, Set<string>>()
  const numbers = [...new Set(codings.map((c) => Number(c.respondent_no)))]
  for (let i = 0; i < numbers.length; i += CHUNK) {
    const rows = await db
      .selectFrom('incidents')
      .select(['respondent_no', 'testimony_id', 'type'])
      .where('respondent_no', 'in', numbers.slice(i, i + CHUNK))
      .execute()
    for (const row of rows) {
      const k = key(Number(row.respondent_no), row.testimony_id)
      const types = recorded.get(k) ?? new Set<string>()
      types.add(row.type)
      recorded.set(k, types)
    }
  }
  const pairs = codings.map(
    (c) =>
      [
        recorded.get(key(Number(c.respondent_no), c.testimony_id)) ?? new Set<string>(),
        new Set(JSON.parse(c.types) as string[]),
      ] as const,
  )
  const types = [...new Set(pairs.flatMap(([a, b]) => [...a, ...b]))].sort()
  return types.map((type) => ({ type, ...cohenKappa(countsFor(type, pairs)) }))
}
