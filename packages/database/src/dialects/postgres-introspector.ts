import {
  sql,
  type ColumnMetadata,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type DatabaseMetadataOptions,
  type Kysely,
  type SchemaMetadata,
  type TableMetadata,
} from 'kysely'

/** Kysely's own tables for its migrations (the Migrator's default names). */
const KYSELY_TABLES: ReadonlySet<string> = new Set(['kysely_migration', 'kysely_migration_lock'])

interface ColumnRow {
  readonly table: string
  readonly kind: string
  readonly column: string
  readonly type: string
  readonly type_schema: string
  readonly not_null: boolean
  readonly has_default: boolean
  readonly auto_incrementing: string | null
  readonly comment: string | null
}

/**
 * Tables and columns of one PostgreSQL schema: the workspace's. Kysely's own PostgreSQL
 * introspector reads every schema of the database, and its Migrator asks it, on every upgrade,
 * whether the migration tables exist. A workspace shares its server with other workspaces (and a
 * test run with other tests), and a schema dropped while that scan runs fails it (`schema "…"
 * does not exist`), so an upgrade failed for a reason that had nothing to do with this workspace.
 * This one never looks outside `schema`.
 */
export class SchemaIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<unknown>
  readonly #schema: string

  constructor(db: Kysely<unknown>, schema: string) {
    this.#db = db
    this.#schema = schema
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<SchemaMetadata>`
      select nspname as name from pg_catalog.pg_namespace where nspname = ${this.#schema}
    `.execute(this.#db)
    return rows
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    const { rows } = await sql<ColumnRow>`
      select c.relname as "table", c.relkind as kind, a.attname as "column", t.typname as type,
             tn.nspname as type_schema, a.attnotnull as not_null, a.atthasdef as has_default,
             pg_get_serial_sequence(quote_ident(ns.nspname) || '.' || quote_ident(c.relname), a.attname)
               as auto_incrementing,
             col_description(a.attrelid, a.attnum) as comment
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
      join pg_catalog.pg_attribute a on a.attrelid = c.oid
      join pg_catalog.pg_type t on t.oid = a.atttypid
      join pg_catalog.pg_namespace tn on tn.oid = t.typnamespace
      where ns.nspname = ${this.#schema} and c.relkind in ('r', 'v', 'p') and a.attnum >= 1 and not a.attisdropped
      order by c.relname, a.attnum
    `.execute(this.#db)
    const tables = new Map<string, { isView: boolean; columns: ColumnMetadata[] }>()
    for (const row of rows) {
      if (!options.withInternalKyselyTables && KYSELY_TABLES.has(row.table)) continue
      let table = tables.get(row.table)
      if (table === undefined) {
        table = { isView: row.kind === 'v', columns: [] }
        tables.set(row.table, table)
      }
      table.columns.push({
        name: row.column,
        dataType: row.type,
        dataTypeSchema: row.type_schema,
        isNullable: !row.not_null,
        hasDefaultValue: row.has_default,
        isAutoIncrementing: row.auto_incrementing !== null,
        ...(row.comment === null ? {} : { comment: row.comment }),
      })
    }
    return [...tables].map(([name, table]) => ({ name, schema: this.#schema, ...table }))
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) }
  }
}
