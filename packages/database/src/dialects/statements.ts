import { TABLE_SPECS, type TableName } from '../schema/database.ts'

/**
 * The SQL text of the write path's statements, built from the table specs (identifiers come only
 * from there, never from data). Both dialects accept the same text except for placeholders:
 * SQLite numbers nothing (`?`), PostgreSQL numbers from `$1`.
 */
export type Placeholders = 'sqlite' | 'postgres'

const quote = (name: string): string => `"${name}"`

function valuesList(style: Placeholders, columns: number, rows: number): string {
  const groups: string[] = []
  let n = 0
  for (let r = 0; r < rows; r += 1) {
    const marks: string[] = []
    for (let c = 0; c < columns; c += 1) {
      n += 1
      marks.push(style === 'sqlite' ? '?' : `$${String(n)}`)
    }
    groups.push(`(${marks.join(', ')})`)
  }
  return groups.join(', ')
}

/** `INSERT` of `rows` rows into `table`, every column in spec order. */
export function insertText(style: Placeholders, table: TableName, rows = 1): string {
  const columns = TABLE_SPECS[table].columns
  return `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${valuesList(style, columns.length, rows)}`
}

/**
 * Insert, or replace every non-key column of the row with the same primary key
 * (`on conflict … do update`, the same syntax in SQLite ≥ 3.24 and PostgreSQL).
 */
export function upsertText(style: Placeholders, table: TableName, rows = 1): string {
  const spec = TABLE_SPECS[table]
  const keys: readonly string[] = spec.key
  const updates = spec.columns
    .filter((c) => !keys.includes(c))
    .map((c) => `${quote(c)} = excluded.${quote(c)}`)
  const onConflict =
    updates.length === 0
      ? `on conflict (${keys.map(quote).join(', ')}) do nothing`
      : `on conflict (${keys.map(quote).join(', ')}) do update set ${updates.join(', ')}`
  return `${insertText(style, table, rows)} ${onConflict}`
}

/** Insert, or leave the row with the same primary key as it is (`on conflict … do nothing`). */
export function keepText(style: Placeholders, table: TableName, rows = 1): string {
  const keys: readonly string[] = TABLE_SPECS[table].key
  return `${insertText(style, table, rows)} on conflict (${keys.map(quote).join(', ')}) do nothing`
}

/**
 * `DELETE` of the rows whose `columns` equal one tuple of values (SQLite), or any of several
 * tuples given as one array per column (PostgreSQL, `unnest` pairs them up).
 */
export function deleteText(style: Placeholders, table: TableName, columns: readonly string[]): string {
  if (style === 'sqlite')
    return `delete from ${quote(table)} where ${columns.map((c) => `${quote(c)} = ?`).join(' and ')}`
  const arrays = columns.map((c, i) => `$${String(i + 1)}::${c === 'respondent_no' ? 'bigint' : 'text'}[]`)
  return columns.length === 1
    ? `delete from ${quote(table)} where ${quote(columns[0] as string)} = any(${arrays[0] as string})`
    : `delete from ${quote(table)} where (${columns.map(quote).join(', ')}) in (select * from unnest(${arrays.join(', ')}))`
}
