import { AmanatError } from '@amanat/domain'
import { cellValues, scopeKey, tableDefinition, type Condition, type CountedTable } from './counted-table.ts'
import { isMultiValued, type Dimension } from './dimension.ts'
import { Polytope, type LinearConstraint } from './lp.ts'
import type { PublishedCell, PublishedTable } from './published-table.ts'

/**
 * Disclosure control for one release (DESIGN.md, "Publication and disclosure control") — the one
 * path every number leaving the team goes through.
 *
 * The release is modelled as *quantities*: every cell of every table, every table's total
 * (`respondents`), and the one-way margins of its two-way tables, each keyed by its scope and its
 * values, so two tables of one release that share a quantity (the `incident_type` table and the
 * rows of `incident_type × residence_country`) constrain each other as an attacker would combine
 * them. Quantities are tied by the additive structure of respondent counts:
 *
 * - along a single-valued dimension, a quantity is the sum of its children plus the respondents
 *   whose value is unknown: exactly the sum when none is unknown (an attacker may know the field
 *   is always filled), at least the sum otherwise (the number unknown is never published);
 * - along a multi-valued dimension (one yes/no table per value), each child is at most its parent.
 *
 * Published quantities are constants; suppressed ones are variables `≥ 1` (`≥ 0` for a zero cell
 * suppressed by differencing); margins that no table publishes are latent variables `≥ 0`.
 *
 * 1. Primary: a non-zero cell or total below k is suppressed.
 * 2. Differencing: a cell whose count differs from the same cell (same dimensions, scope and
 *    values) in an earlier release by 1 to k−1 is suppressed.
 * 3. Complementary: for each suppressed quantity, its linear-programming bounds over the
 *    release are computed ({@link Polytope}); while they span less than k, the smallest non-zero
 *    published cell tied to it is suppressed too (the total only as a last resort). Suppression
 *    only widens bounds, so a quantity that passed once never needs checking again.
 */
export function controlRelease(tables: readonly CountedTable[], options: ControlOptions): ControlledRelease {
  const { k } = options
  if (!Number.isInteger(k) || k < 2)
    throw new AmanatError('usage', 'stats.bad_k', 'k must be a whole number of at least 2.')
  const model = new ReleaseModel(tables)

  for (const q of model.released()) if (q.truth > 0 && q.truth < k) model.suppress(q, 'primary')
  for (const [q, previous] of model.earlierCounts(options.earlier ?? [])) {
    const moved = Math.abs(q.truth - previous)
    if (q.state === 'published' && moved >= 1 && moved <= k - 1) model.suppress(q, 'differencing')
  }
  const queue = model.released().filter((q) => q.state === 'suppressed')
  while (queue.length > 0) {
    const q = queue[0] as Quantity
    if (model.span(q) >= k) {
      queue.shift()
      continue
    }
    const complement = model.complementFor(q)
    model.suppress(complement, 'complementary')
    queue.push(complement)
  }
  return model.publish(k)
}

/** What {@link controlRelease} needs besides the tables. */
export interface ControlOptions {
  /** The threshold: no published count lies in [1, k−1]. */
  readonly k: number
  /** Tables of earlier releases (the release ledger), for differencing. */
  readonly earlier?: readonly EarlierTable[]
}

/** A table as an earlier release published it (the ledger's shape). */
export interface EarlierTable {
  readonly dimensions: readonly string[]
  readonly where: readonly Condition[]
  readonly cells: readonly { readonly values: readonly string[]; readonly count: number | null }[]
}

/** Why a count was withheld. */
export type SuppressionReason = 'primary' | 'differencing' | 'complementary'

/** One withheld count: which table, which cell (`null`: the table's respondent total), why. */
export interface SuppressionEntry {
  readonly table: number
  readonly cell: Readonly<Partial<Record<Dimension, string>>> | null
  readonly reason: SuppressionReason
}

/** The published tables, in the order given, and the log of what was suppressed and why. */
export interface ControlledRelease {
  readonly tables: readonly PublishedTable[]
  readonly suppressed: readonly SuppressionEntry[]
}

interface Quantity {
  readonly key: string
  readonly scope: string
  readonly assignment: readonly (readonly [string, string])[]
  readonly truth: number
  /** Published in some table of the release (a cell or a total), as opposed to a latent margin. */
  released: boolean
  isTotal: boolean
  state: 'published' | 'suppressed' | 'latent'
  reason: SuppressionReason | null
  /** Relations the quantity takes part in. */
  readonly relations: Relation[]
}

interface Relation {
  readonly parent: Quantity
  readonly children: readonly Quantity[]
  /** Single-valued: parent = Σ children + unknown. Multi-valued: each child ≤ parent. */
  readonly additive: boolean
}

/** Where a table's total and cells sit among the quantities. */
interface TableLayout {
  readonly total: Quantity
  readonly cells: readonly Quantity[]
  readonly tuples: readonly string[][]
}

class ReleaseModel {
  readonly #tables: readonly CountedTable[]
  readonly #quantities = new Map<string, Quantity>()
  /** Per table, its total and its cells' quantities in cell order. */
  readonly #layout: TableLayout[] = []
  #polytopes = new Map<Quantity, { polytope: Polytope; index: Map<Quantity, number> }>()

  constructor(tables: readonly CountedTable[]) {
    this.#tables = tables
    const valuesOf = new Map<string, readonly string[]>()
    for (const table of tables) {
      const scope = scopeKey(table.where)
      table.dimensions.forEach((d, i) => valuesOf.set(`${scope}|${d}`, table.values[i] ?? []))
    }
    const wanted: { scope: string; assignment: [string, string][]; truth: number }[] = []
    for (const table of tables) {
      const scope = scopeKey(table.where)
      const tuples = cellValues(table)
      const total = this.#quantity(scope, [], table.respondents, true)
      total.isTotal = true
      const cells = tuples.map((tuple, i) =>
        this.#quantity(
          scope,
          tuple.map((v, d) => [table.dimensions[d] as string, v]),
          table.counts[i] ?? 0,
          true,
        ),
      )
      if (table.dimensions.length === 2) {
        table.dimensions.forEach((d, i) =>
          (table.values[i] ?? []).forEach((v, j) =>
            wanted.push({ scope, assignment: [[d, v]], truth: table.margins[i]?.[j] ?? 0 }),
          ),
        )
      }
      this.#layout.push({ total, cells, tuples })
    }
    for (const w of wanted) this.#quantity(w.scope, w.assignment, w.truth, false)
    this.#relate(valuesOf)
  }

  /** Every quantity some table publishes (cells and totals), in table order. */
  released(): Quantity[] {
    return [...this.#quantities.values()].filter((q) => q.released)
  }

  /** Pairs of a released cell and its count in an earlier release of the same table definition. */
  earlierCounts(earlier: readonly EarlierTable[]): [Quantity, number][] {
    const byDefinition = new Map<string, EarlierTable[]>()
    for (const table of earlier) {
      const key = tableDefinition(table)
      byDefinition.set(key, [...(byDefinition.get(key) ?? []), table])
    }
    const pairs: [Quantity, number][] = []
    this.#tables.forEach((table, t) => {
      const layout = this.#layout[t] as TableLayout
      const index = new Map(
        layout.tuples.map((tuple, i) => [JSON.stringify(tuple), layout.cells[i] as Quantity]),
      )
      for (const previous of byDefinition.get(tableDefinition(table)) ?? []) {
        for (const cell of previous.cells) {
          const q = index.get(JSON.stringify(cell.values))
          if (q !== undefined && cell.count !== null) pairs.push([q, cell.count])
        }
      }
    })
    return pairs
  }

  suppress(q: Quantity, reason: SuppressionReason): void {
    q.state = 'suppressed'
    q.reason = reason
    this.#polytopes = new Map()
  }

  /** `max − min` of the integer-rounded LP bounds of a suppressed quantity. */
  span(q: Quantity): number {
    let entry = this.#polytopes.get(q)
    if (entry === undefined) {
      entry = this.#buildPolytope(q)
      for (const member of entry.index.keys()) this.#polytopes.set(member, entry)
    }
    const range = entry.polytope.range(entry.index.get(q) ?? 0)
    if (range.max === Infinity) return Infinity
    return Math.floor(range.max + 1e-6) - Math.ceil(range.min - 1e-6)
  }

  /**
   * The published quantity to suppress next for `q`: the smallest non-zero cell in a relation
   * with q, searching outwards through the variables q is tied to; a total only when no cell is
   * left.
   */
  complementFor(q: Quantity): Quantity {
    const seen = new Set<Quantity>([q])
    let frontier = [q]
    let total: Quantity | null = null
    while (frontier.length > 0) {
      const next: Quantity[] = []
      let best: Quantity | null = null
      for (const variable of frontier) {
        for (const relation of variable.relations) {
          for (const other of [relation.parent, ...relation.children]) {
            if (seen.has(other)) continue
            seen.add(other)
            if (other.state !== 'published') next.push(other)
            else if (other.released && other.truth > 0) {
              if (other.isTotal) total ??= other
              else if (best === null || other.truth < best.truth) best = other
            }
          }
        }
      }
      if (best !== null) return best
      frontier = next
    }
    if (total !== null) return total
    throw new AmanatError('internal', 'disclosure.unprotectable', 'A suppressed cell could not be protected.')
  }

  publish(k: number): ControlledRelease {
    const suppressed: SuppressionEntry[] = []
    const tables = this.#tables.map((table, t): PublishedTable => {
      const layout = this.#layout[t] as TableLayout
      const reasonOf = (q: Quantity): SuppressionReason => q.reason ?? 'complementary'
      if (layout.total.state === 'suppressed')
        suppressed.push({ table: t, cell: null, reason: reasonOf(layout.total) })
      const cells = layout.cells.map((q, i): PublishedCell => {
        const named = Object.fromEntries(
          (layout.tuples[i] ?? []).map((v, d) => [table.dimensions[d] as string, v]),
        ) as Partial<Record<Dimension, string>>
        const hidden = q.state === 'suppressed'
        if (hidden) suppressed.push({ table: t, cell: named, reason: reasonOf(q) })
        return { ...named, count: hidden ? null : q.truth, suppressed: hidden }
      })
      return {
        dimensions: table.dimensions,
        k,
        respondents: layout.total.state === 'suppressed' ? null : table.respondents,
        cells,
      }
    })
    return { tables, suppressed }
  }

  #quantity(scope: string, assignment: [string, string][], truth: number, released: boolean): Quantity {
    const sorted = [...assignment].sort((a, b) => (a[0] < b[0] ? -1 : 1))
    const key = `${scope}|${JSON.stringify(sorted)}`
    const existing = this.#quantities.get(key)
    if (existing !== undefined) {
      if (existing.truth !== truth) {
        throw new AmanatError(
          'internal',
          'disclosure.inconsistent',
          'Two tables of one release disagree on a count.',
        )
      }
      existing.released ||= released
      if (released) existing.state = existing.state === 'latent' ? 'published' : existing.state
      return existing
    }
    const q: Quantity = {
      key,
      scope,
      assignment: sorted,
      truth,
      released,
      isTotal: false,
      state: released ? 'published' : 'latent',
      reason: null,
      relations: [],
    }
    this.#quantities.set(key, q)
    return q
  }

  /** Ties every quantity to its parents: one relation per (parent, dimension removed). */
  #relate(valuesOf: ReadonlyMap<string, readonly string[]>): void {
    const made = new Set<string>()
    for (const q of [...this.#quantities.values()]) {
      const { scope, assignment } = q
      for (const [dimension] of assignment) {
        const parentAssignment = assignment.filter(([d]) => d !== dimension)
        const relationKey = `${scope}|${JSON.stringify(parentAssignment)}|${dimension}`
        if (made.has(relationKey)) continue
        made.add(relationKey)
        const parent = this.#quantities.get(`${scope}|${JSON.stringify(parentAssignment)}`)
        if (parent === undefined) continue
        const children: Quantity[] = []
        for (const value of valuesOf.get(`${scope}|${dimension}`) ?? []) {
          const child = [...parentAssignment, [dimension, value] as [string, string]].sort((a, b) =>
            a[0] < b[0] ? -1 : 1,
          )
          const found = this.#quantities.get(`${scope}|${JSON.stringify(child)}`)
          if (found !== undefined) children.push(found)
        }
        const relation: Relation = { parent, children, additive: !isMultiValued(dimension as Dimension) }
        for (const member of [parent, ...children]) member.relations.push(relation)
      }
    }
  }

  /** The LP over the variables connected to `q` (published quantities are constants). */
  #buildPolytope(q: Quantity): { polytope: Polytope; index: Map<Quantity, number> } {
    const index = new Map<Quantity, number>([[q, 0]])
    const relations = new Set<Relation>()
    const stack = [q]
    while (stack.length > 0) {
      const variable = stack.pop() as Quantity
      for (const relation of variable.relations) {
        if (relations.has(relation)) continue
        relations.add(relation)
        for (const member of [relation.parent, ...relation.children]) {
          if (member.state !== 'published' && !index.has(member)) {
            index.set(member, index.size)
            stack.push(member)
          }
        }
      }
    }
    const lower: number[] = []
    for (const [member, i] of index) lower[i] = member.state === 'latent' ? 0 : Math.min(1, member.truth)
    const constraints: LinearConstraint[] = []
    const term = (
      member: Quantity,
      coefficient: number,
      acc: { terms: [number, number][]; constant: number },
    ) => {
      const i = index.get(member)
      if (i === undefined) acc.constant += coefficient * member.truth
      else acc.terms.push([i, coefficient])
    }
    for (const relation of relations) {
      if (relation.additive) {
        const acc = { terms: [] as [number, number][], constant: 0 }
        term(relation.parent, 1, acc)
        for (const child of relation.children) term(child, -1, acc)
        const unknown = relation.parent.truth - relation.children.reduce((sum, c) => sum + c.truth, 0)
        // With no unknowns the sum is exact; otherwise an attacker knows only that the parent is at
        // least the sum of its children (how many are unknown is not published).
        if (acc.terms.length > 0) {
          constraints.push({ terms: acc.terms, sense: unknown === 0 ? 'eq' : 'ge', rhs: -acc.constant })
        }
      } else {
        for (const child of relation.children) {
          const acc = { terms: [] as [number, number][], constant: 0 }
          term(child, 1, acc)
          term(relation.parent, -1, acc)
          if (acc.terms.length > 0) constraints.push({ terms: acc.terms, sense: 'le', rhs: -acc.constant })
        }
      }
    }
    return { polytope: new Polytope({ lower, constraints }), index }
  }
}
