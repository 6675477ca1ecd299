import type { Statement } from 'better-sqlite3-multiple-ciphers'
import { columnValue, whereColumns, type RowOp } from '../projections/row-op.ts'
import { TABLE_SPECS, type SqlValue, type TableName } from '../schema/database.ts'
import type { SqliteConnection } from './sqlite.ts'
import { deleteText, insertText, keepText, upsertText } from './statements.ts'

/**
 * Applies row operations on SQLite, each at once, through statements prepared once per
 * connection. Building a query per row with Kysely costs more than SQLite's own work on the bulk
 * path; a prepared statement bound with the row's values costs a few microseconds. Must run
 * inside the caller's transaction: it neither begins nor commits.
 */
export class SqliteWriter {
  readonly #db: SqliteConnection
  readonly #statements = new Map<string, Statement>()

  constructor(db: SqliteConnection) {
    this.#db = db
  }

  apply(op: RowOp): void {
    if (op.kind === 'delete') {
      const columns = whereColumns(op)
      const values = columns.map((c) => (op.where as Record<string, SqlValue>)[c] ?? null)
      this.#statement(`delete:${op.table}:${columns.join(',')}`, () =>
        deleteText('sqlite', op.table, columns),
      ).run(...values)
      return
    }
    const text = { insert: insertText, upsert: upsertText, keep: keepText }[op.kind]
    const statement = this.#statement(`${op.kind}:${op.table}`, () => text('sqlite', op.table))
    statement.run(...rowValues(op.table, op.row))
  }

  #statement(name: string, text: () => string): Statement {
    let statement = this.#statements.get(name)
    if (statement === undefined) {
      statement = this.#db.prepare(text())
      this.#statements.set(name, statement)
    }
    return statement
  }
}

/** The row's values in the table's column order, as statements bind them. */
export function rowValues(table: TableName, row: object): SqlValue[] {
  const columns: readonly string[] = TABLE_SPECS[table].columns
  const values: SqlValue[] = new Array<SqlValue>(columns.length)
  for (let i = 0; i < columns.length; i += 1) values[i] = columnValue(row, columns[i] as string)
  return values
}
