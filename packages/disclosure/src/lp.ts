/**
 * A small exact-enough linear-programming solver for the attacker's bounds on suppressed cells.
 *
 * Why hand-written: the problems are tiny (the suppressed cells of one connected part of a
 * release, usually tens of variables), the package must stay browser-safe and pure, and the LP
 * libraries on npm are either native code or far larger than this. It is the textbook dense
 * two-phase simplex with Bland's rule (no cycling on the heavily degenerate 0/1 systems that
 * additive tables give). The constraint matrices of one- and two-way tables with margins are
 * totally unimodular, so the optimal vertices are integral and the bounds exact; callers round
 * inward (`ceil` of the minimum, `floor` of the maximum), which is what an attacker who knows the
 * counts are integers does anyway.
 *
 * Phase 1 runs once per polytope; every `range` query reuses its feasible basis.
 */

/** `Σ coefficient·x[variable]  (=|≤|≥)  rhs`. */
export interface LinearConstraint {
  readonly terms: readonly (readonly [variable: number, coefficient: number])[]
  readonly sense: 'eq' | 'le' | 'ge'
  readonly rhs: number
}

/** Variables `0..lower.length-1`, each `≥ lower[j]` and otherwise bounded only by the constraints. */
export interface LinearProgram {
  readonly lower: readonly number[]
  readonly constraints: readonly LinearConstraint[]
}

/** The least and greatest value a variable takes over the polytope (`Infinity` when unbounded). */
export interface VariableRange {
  readonly min: number
  readonly max: number
}

const EPSILON = 1e-9

/**
 * The feasible region of a {@link LinearProgram}. Construction runs phase 1; it throws when the
 * program is infeasible (for disclosure control that is a bug: the true table is always feasible).
 */
export class Polytope {
  readonly #variables: number
  readonly #lower: readonly number[]
  readonly #columns: number
  /** Rows of the phase-2 tableau, each `#columns + 1` wide (the last entry is the right-hand side). */
  readonly #rows: Float64Array[]
  readonly #basis: number[]

  constructor(program: LinearProgram) {
    this.#variables = program.lower.length
    this.#lower = program.lower
    const slacks = program.constraints.filter((c) => c.sense !== 'eq').length
    const structural = this.#variables + slacks
    const m = program.constraints.length
    // Columns: variables (shifted by their lower bounds), slacks, then one artificial per row.
    const width = structural + m + 1
    const rows: Float64Array[] = []
    let slack = this.#variables
    program.constraints.forEach((constraint, i) => {
      const row = new Float64Array(width)
      let rhs = constraint.rhs
      for (const [variable, coefficient] of constraint.terms) {
        row[variable] = (row[variable] ?? 0) + coefficient
        rhs -= coefficient * (program.lower[variable] ?? 0)
      }
      if (constraint.sense === 'le') row[slack++] = 1
      else if (constraint.sense === 'ge') row[slack++] = -1
      row[width - 1] = rhs
      if (rhs < 0) for (let j = 0; j < width; j++) row[j] = -(row[j] ?? 0)
      row[structural + i] = 1
      rows.push(row)
    })
    const basis = program.constraints.map((_, i) => structural + i)

    // Phase 1: minimise the sum of the artificials.
    const cost = new Float64Array(width)
    for (let i = 0; i < m; i++) cost[structural + i] = 1
    const phase1 = reducedCosts(rows, basis, cost, width)
    runSimplex(rows, basis, phase1, width, width - 1)
    if (-(phase1[width - 1] ?? 0) > 1e-7) {
      throw new Error('disclosure: the constraints of the table are inconsistent (no feasible table)')
    }
    // Drive artificials still basic (at zero) out of the basis, or drop their redundant rows.
    for (let i = rows.length - 1; i >= 0; i--) {
      if ((basis[i] ?? 0) < structural) continue
      const row = rows[i] as Float64Array
      let entering = -1
      for (let j = 0; j < structural; j++) if (Math.abs(row[j] ?? 0) > EPSILON) entering = j
      if (entering === -1) {
        rows.splice(i, 1)
        basis.splice(i, 1)
      } else pivot(rows, basis, null, i, entering, width)
    }
    // Phase 2 never lets an artificial enter: keep only structural columns and the rhs.
    this.#columns = structural
    this.#rows = rows.map((row) => {
      const trimmed = new Float64Array(structural + 1)
      trimmed.set(row.subarray(0, structural))
      trimmed[structural] = row[width - 1] ?? 0
      return trimmed
    })
    this.#basis = basis
  }

  /** The range of variable `j` over the polytope. */
  range(j: number): VariableRange {
    const lower = this.#lower[j] ?? 0
    const min = this.#optimise(j, 1)
    const max = this.#optimise(j, -1)
    return { min: lower + min, max: max === -Infinity ? Infinity : lower - max }
  }

  /** Minimises `sign · y[j]` (y the shifted variables) from the phase-1 basis; -Infinity when unbounded. */
  #optimise(j: number, sign: number): number {
    const width = this.#columns + 1
    const rows = this.#rows.map((row) => row.slice())
    const basis = [...this.#basis]
    const cost = new Float64Array(width)
    cost[j] = sign
    const objective = reducedCosts(rows, basis, cost, width)
    if (!runSimplex(rows, basis, objective, width, width - 1)) return -Infinity
    return -(objective[width - 1] ?? 0)
  }

  /** The number of variables. */
  get variables(): number {
    return this.#variables
  }
}

/** The reduced-cost row of `cost` for the current basis (last entry: minus the objective value). */
function reducedCosts(
  rows: readonly Float64Array[],
  basis: readonly number[],
  cost: Float64Array,
  width: number,
): Float64Array {
  const reduced = cost.slice()
  rows.forEach((row, i) => {
    const c = cost[basis[i] ?? 0] ?? 0
    if (c !== 0) for (let j = 0; j < width; j++) reduced[j] = (reduced[j] ?? 0) - c * (row[j] ?? 0)
  })
  return reduced
}

/**
 * Minimises with Bland's rule over columns `0..columns-1`. Returns false when the objective is
 * unbounded below.
 */
function runSimplex(
  rows: Float64Array[],
  basis: number[],
  objective: Float64Array,
  width: number,
  columns: number,
): boolean {
  for (;;) {
    let entering = -1
    for (let j = 0; j < columns; j++) {
      if ((objective[j] ?? 0) < -EPSILON) {
        entering = j
        break
      }
    }
    if (entering === -1) return true
    let leaving = -1
    let best = Infinity
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as Float64Array
      const a = row[entering] ?? 0
      if (a <= EPSILON) continue
      const ratio = (row[width - 1] ?? 0) / a
      if (
        ratio < best - EPSILON ||
        (Math.abs(ratio - best) <= EPSILON && (basis[i] ?? 0) < (basis[leaving] ?? 0))
      ) {
        best = ratio
        leaving = i
      }
    }
    if (leaving === -1) return false
    pivot(rows, basis, objective, leaving, entering, width)
  }
}

function pivot(
  rows: Float64Array[],
  basis: number[],
  objective: Float64Array | null,
  r: number,
  c: number,
  width: number,
): void {
  const pivotRow = rows[r] as Float64Array
  const p = pivotRow[c] ?? 1
  for (let j = 0; j < width; j++) pivotRow[j] = (pivotRow[j] ?? 0) / p
  const eliminate = (row: Float64Array) => {
    const f = row[c] ?? 0
    if (f === 0) return
    for (let j = 0; j < width; j++) row[j] = (row[j] ?? 0) - f * (pivotRow[j] ?? 0)
  }
  rows.forEach((row, i) => {
    if (i !== r) eliminate(row)
  })
  if (objective !== null) eliminate(objective)
  basis[r] = c
}
