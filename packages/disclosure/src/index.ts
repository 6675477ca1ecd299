/**
 * @amanat/disclosure — disclosure control for every release (DESIGN.md, "Publication and
 * disclosure control"): primary suppression of small cells, complementary suppression checked by
 * exact linear-programming bounds, and differencing against the release ledger.
 *
 * Browser-safe and pure: it sees counts, never people, and imports no Node built-ins, so the
 * workbench, the report builder and the dashboard share one implementation of the rules.
 */
export * from './dimension.ts'
export * from './published-table.ts'
export * from './counted-table.ts'
export * from './control.ts'
export { Polytope, type LinearProgram, type LinearConstraint, type VariableRange } from './lp.ts'
