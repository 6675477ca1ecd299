import { PROJECTION_TABLES, TABLE_SPECS, type ProjectionTable } from '../schema/database.ts'
import { deleteWhere, type RowOp } from './row-op.ts'

/**
 * Every projection table that holds rows of one respondent: those keyed by `respondent_no`.
 * Derived from the table specs, so a table another part of the workbench adds is erased too
 * without anyone remembering to list it here.
 */
export const RESPONDENT_TABLES: readonly ProjectionTable[] = PROJECTION_TABLES.filter((table) =>
  (TABLE_SPECS[table].columns as readonly string[]).includes('respondent_no'),
)

/**
 * What `respondent.erased` does to the projections: deletes every row of respondent `no`, in the
 * same transaction that records the erasure, so the tables never show an erased respondent (and
 * a replay, which cannot open the shredded events anyway, ends in the same state).
 */
export function erasureDeletes(no: number): RowOp[] {
  return RESPONDENT_TABLES.map((table) => deleteWhere(table, { respondent_no: no } as never) as RowOp)
}
