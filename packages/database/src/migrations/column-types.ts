import { sql, type ColumnDataType, type CreateTableBuilder, type RawBuilder } from 'kysely'

/**
 * What the dialects spell differently. Migrations take these instead of naming types
 * themselves. On SQLite `seq` and `respondent_no` must be exactly `integer` to become the rowid
 * of their tables (appends then go to the end of the B-tree); on PostgreSQL they are `bigint`,
 * read back as numbers (dialects/postgres.ts). `clustered` tables are SQLite `WITHOUT ROWID`
 * tables: small rows stored in primary-key order, one B-tree instead of a table plus its key index.
 * `keysBySubject` says whether `subject_keys` is keyed by subject (PostgreSQL) or by respondent
 * number, with the subject found through memory (SQLite: dialects/sqlite-subject-directory.ts).
 */
export interface ColumnTypes {
  readonly seq: ColumnDataType
  readonly bytes: ColumnDataType
  readonly clustered: boolean
  readonly keysBySubject: boolean
  /** A text field of the JSON held as UTF-8 bytes in `column` (a plain event body). */
  readonly jsonField: (column: string, field: string) => RawBuilder<string>
}

/** SQLite's spellings. */
export const SQLITE_TYPES: ColumnTypes = {
  seq: 'integer',
  bytes: 'blob',
  clustered: true,
  keysBySubject: false,
  jsonField: (column, field) =>
    sql<string>`json_extract(cast(${sql.ref(column)} as text), ${sql.lit(`$.${field}`)})`,
}
/** PostgreSQL's spellings. */
export const POSTGRES_TYPES: ColumnTypes = {
  seq: 'bigint',
  bytes: 'bytea',
  clustered: false,
  keysBySubject: true,
  jsonField: (column, field) =>
    sql<string>`(convert_from(${sql.ref(column)}, 'UTF8')::jsonb ->> ${sql.lit(field)})`,
}

/**
 * Makes a table builder's table `clustered` where the dialect has them (SQLite `WITHOUT ROWID`)
 * and leaves it as it is elsewhere; every migration that keys a table by (respondent_no, …) uses it.
 */
export function clusteredFor(
  types: ColumnTypes,
): <T extends string, C extends string>(table: CreateTableBuilder<T, C>) => CreateTableBuilder<T, C> {
  return (table) => (types.clustered ? table.modifyEnd(sql`without rowid`) : table)
}
