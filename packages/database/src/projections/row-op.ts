import type { Database, SqlValue, TableName } from '../schema/database.ts'

/** A whole row of table `T`, every column present (the write path binds columns in spec order). */
export type Row<T extends TableName> = { [C in keyof Database[T]]: Database[T][C] }

/**
 * One change to one table, as projections express it. Executors turn these into statements:
 * SQLite runs each at once through a prepared statement; PostgreSQL batches them into multi-row
 * statements where that cannot change the outcome (see dialects/postgres-writer.ts).
 *
 * - `insert`: a new row; a duplicate key is an error (the event log, subject keys).
 * - `upsert`: insert, or replace every non-key column of the row with the same primary key.
 * - `keep`: insert, or leave the row with the same primary key as it is (the first one stays).
 * - `delete`: remove the rows whose columns equal the values in `where` (one or two columns).
 */
export type RowOp = { [T in TableName]: InsertOp<T> | UpsertOp<T> | KeepOp<T> | DeleteOp<T> }[TableName]

/** A new row; a duplicate key fails the transaction. */
export interface InsertOp<T extends TableName> {
  readonly kind: 'insert'
  readonly table: T
  readonly row: Row<T>
}

/** A row that replaces the one with the same primary key, if any. */
export interface UpsertOp<T extends TableName> {
  readonly kind: 'upsert'
  readonly table: T
  readonly row: Row<T>
}

/** A row written only when none with its primary key exists: the first one stays. */
export interface KeepOp<T extends TableName> {
  readonly kind: 'keep'
  readonly table: T
  readonly row: Row<T>
}

/** Removes every row whose columns equal `where`'s values (nothing, if none does). */
export interface DeleteOp<T extends TableName> {
  readonly kind: 'delete'
  readonly table: T
  readonly where: Readonly<Partial<Record<keyof Database[T] & string, string | number>>>
}

/** Builds an {@link UpsertOp}. */
export const upsert = <T extends TableName>(table: T, row: Row<T>): UpsertOp<T> => ({
  kind: 'upsert',
  table,
  row,
})
/** Builds a {@link KeepOp}. */
export const keep = <T extends TableName>(table: T, row: Row<T>): KeepOp<T> => ({
  kind: 'keep',
  table,
  row,
})
/** Builds an {@link InsertOp}. */
export const insert = <T extends TableName>(table: T, row: Row<T>): InsertOp<T> => ({
  kind: 'insert',
  table,
  row,
})
/** Builds a {@link DeleteOp}. */
export const deleteWhere = <T extends TableName>(table: T, where: DeleteOp<T>['where']): DeleteOp<T> => ({
  kind: 'delete',
  table,
  where,
})

/** The columns a delete filters on, in a stable order (statements are cached by it). */
export function whereColumns(op: { readonly where: object }): string[] {
  return Object.keys(op.where).sort()
}

/** The value of `column` in `row`, for executors that treat rows generically. */
export function columnValue(row: object, column: string): SqlValue {
  return (row as Record<string, SqlValue>)[column] ?? null
}
