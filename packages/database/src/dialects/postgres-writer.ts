import { CompiledQuery, type Transaction } from 'kysely'
import { columnValue, whereColumns, type RowOp } from '../projections/row-op.ts'
import { TABLE_SPECS, type Database, type SqlValue, type TableName } from '../schema/database.ts'
import { rowValues } from './sqlite-writer.ts'
import { deleteText, insertText, keepText, upsertText } from './statements.ts'

/** PostgreSQL accepts at most 65,535 parameters per statement; stay well below. */
const MAX_PARAMETERS = 30_000
/** Rows held before everything pending is written, to bound memory on long batches. */
const MAX_PENDING_ROWS = 20_000

interface PendingDeletes {
  readonly columns: readonly string[]
  /** The value tuples, each joined into one string for the set, kept as tuples for the statement. */
  readonly tuples: Map<string, readonly SqlValue[]>
}

interface PendingTable {
  /** Deletes, by column set, that come logically before every pending row of this table. */
  readonly deletes: Map<string, PendingDeletes>
  /** Upserted rows by primary key (a later upsert of the same key replaces the earlier one). */
  readonly upserts: Map<string, object>
  /** Kept rows by primary key (a later one of the same key is dropped: the first stays). */
  readonly keeps: Map<string, object>
  readonly inserts: object[]
  /** For each column set a pending delete has used: the value tuples pending rows hold in it. */
  readonly watched: Map<string, Set<string>>
}

/**
 * Applies row operations on PostgreSQL in few round trips: one multi-row statement per table for
 * its pending rows (BASELINES Part 2 §3: multi-row VALUES is about 2× single-row INSERTs in one
 * transaction), one `delete` per table and column set for its pending deletes.
 *
 * Why regrouping is safe: projections write whole rows by primary key (upsert, or keep: only
 * when the key is new) or delete by column values, and there are no foreign keys or triggers
 * between tables, so operations on different tables commute. Within a table, pending deletes run before pending rows, which is
 * their logical order unless a delete matches some pending row: then the table's pending work is
 * written first. A delete that matches no pending row commutes with them (an earlier version of a
 * row it removes is replaced wholesale by the pending upsert anyway). Must run inside the
 * caller's transaction.
 */
export class PostgresWriter {
  readonly #trx: Transaction<Database>
  readonly #pending = new Map<TableName, PendingTable>()
  #pendingRows = 0

  constructor(trx: Transaction<Database>) {
    this.#trx = trx
  }

  /** Queues `op`; returns a promise only when it had to write first (await it before the next op). */
  apply(op: RowOp): Promise<void> | undefined {
    const table = this.#table(op.table)
    if (op.kind === 'delete') {
      const columns = whereColumns(op)
      const set = columns.join(',')
      const values = columns.map((c) => (op.where as Record<string, SqlValue>)[c] ?? null)
      const tuple = tupleKey(values)
      if (this.#watch(table, set, columns).has(tuple))
        return this.#flushTable(op.table).then(() => void this.apply(op))
      let deletes = table.deletes.get(set)
      if (deletes === undefined) table.deletes.set(set, (deletes = { columns, tuples: new Map() }))
      deletes.tuples.set(tuple, values)
      return undefined
    }
    if (op.kind === 'insert') table.inserts.push(op.row)
    else {
      const key = tupleKey(TABLE_SPECS[op.table].key.map((c) => columnValue(op.row, c)))
      if (op.kind === 'upsert') table.upserts.set(key, op.row)
      else if (!table.keeps.has(key)) table.keeps.set(key, op.row)
    }
    for (const [set, tuples] of table.watched)
      tuples.add(tupleKey(set.split(',').map((c) => columnValue(op.row, c))))
    this.#pendingRows += 1
    return this.#pendingRows >= MAX_PENDING_ROWS ? this.flush() : undefined
  }

  /** Writes everything pending. */
  async flush(): Promise<void> {
    for (const name of [...this.#pending.keys()]) await this.#flushTable(name)
    this.#pendingRows = 0
  }

  #table(name: TableName): PendingTable {
    let table = this.#pending.get(name)
    if (table === undefined) {
      table = { deletes: new Map(), upserts: new Map(), keeps: new Map(), inserts: [], watched: new Map() }
      this.#pending.set(name, table)
    }
    return table
  }

  #watch(table: PendingTable, set: string, columns: readonly string[]): Set<string> {
    let tuples = table.watched.get(set)
    if (tuples === undefined) {
      tuples = new Set()
      for (const row of [...table.upserts.values(), ...table.keeps.values(), ...table.inserts])
        tuples.add(tupleKey(columns.map((c) => columnValue(row, c))))
      table.watched.set(set, tuples)
    }
    return tuples
  }

  async #flushTable(name: TableName): Promise<void> {
    const table = this.#pending.get(name)
    if (table === undefined) return
    this.#pending.delete(name)
    this.#pendingRows -= table.upserts.size + table.keeps.size + table.inserts.length
    for (const { columns, tuples } of table.deletes.values()) {
      const arrays = columns.map((_, i) => [...tuples.values()].map((tuple) => tuple[i] ?? null))
      await this.#trx.executeQuery(CompiledQuery.raw(deleteText('postgres', name, columns), arrays))
    }
    await this.#writeRows(name, 'upsert', [...table.upserts.values()])
    await this.#writeRows(name, 'keep', [...table.keeps.values()])
    await this.#writeRows(name, 'insert', table.inserts)
  }

  async #writeRows(
    name: TableName,
    kind: 'insert' | 'upsert' | 'keep',
    rows: readonly object[],
  ): Promise<void> {
    const width = TABLE_SPECS[name].columns.length
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / width))
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement)
      const parameters: SqlValue[] = []
      for (const row of chunk) for (const value of rowValues(name, row)) parameters.push(value)
      const text = { insert: insertText, upsert: upsertText, keep: keepText }[kind](
        'postgres',
        name,
        chunk.length,
      )
      await this.#trx.executeQuery(CompiledQuery.raw(text, parameters))
    }
  }
}

/** One string per value tuple (values never contain U+0000; numbers and strings stay apart). */
function tupleKey(values: readonly SqlValue[]): string {
  return values.map((v) => (typeof v === 'number' ? `#${String(v)}` : `$${String(v)}`)).join('\u0000')
}
