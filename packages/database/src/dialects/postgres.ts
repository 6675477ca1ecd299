import { AmanatError, inputError, usageError } from '@amanat/domain'
import { Kysely, PostgresDialect, type DatabaseIntrospector, type PostgresDialectConfig } from 'kysely'
import pg from 'pg'
import type { Database } from '../schema/database.ts'
import { SchemaIntrospector } from './postgres-introspector.ts'

/** The schema a PostgreSQL workspace uses unless told otherwise. */
export const DEFAULT_SCHEMA = 'amanat'

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/
const INT8_OID = 20

/**
 * int8 (`bigint`, and every `count(*)`) comes back from `pg` as a string, to spare precision
 * beyond 2^53. Event sequence numbers and row counts never get there, and returning numbers makes
 * rows equal to SQLite's; a value that did get there would throw rather than round.
 */
function parseInt8(text: string): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value)) throw new RangeError('an int8 value exceeds 2^53')
  return value
}

const defaultParser: (oid: number, format?: 'text' | 'binary') => unknown = pg.types.getTypeParser.bind(
  pg.types,
)

const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : defaultParser(oid, format),
}

/** The server, the workspace's schema, and whether a missing schema may be created. */
export interface PostgresOpenOptions {
  readonly url: string
  readonly schema: string
  readonly create: boolean
}

/**
 * Makes sure the workspace's schema exists (creating it only with `create`), then returns Kysely
 * over a pool whose connections resolve unqualified names in that schema alone
 * (`search_path`), so every query and migration stays inside it.
 *
 * Throws usage `workspace.bad_schema` for a schema name outside `[a-z_][a-z0-9_]*`, input
 * `workspace.not_found` when the schema is missing and `create` is not set, and input
 * `workspace.unreachable` when the server cannot be reached.
 */
export async function openPostgres(options: PostgresOpenOptions): Promise<Kysely<Database>> {
  const { url, schema, create } = options
  if (!SCHEMA_NAME.test(schema)) {
    throw usageError(
      'workspace.bad_schema',
      'The PostgreSQL schema name must be lowercase letters, digits and underscores.',
    )
  }
  const admin = new pg.Client({ connectionString: url })
  try {
    await admin.connect()
  } catch (error) {
    throw new AmanatError(
      'input',
      'workspace.unreachable',
      'The PostgreSQL server cannot be reached.',
      {},
      { cause: error },
    )
  }
  try {
    const found = await admin.query('select 1 from pg_namespace where nspname = $1', [schema])
    if (found.rowCount === 0) {
      if (!create)
        throw inputError('workspace.not_found', 'There is no workspace in this PostgreSQL schema.', {
          schema,
        })
      await admin.query(`create schema if not exists "${schema}"`)
    }
  } finally {
    await admin.end()
  }
  const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, types, max: 4 })
  return new Kysely<Database>({ dialect: new WorkspaceDialect({ pool }, schema) })
}

/** PostgreSQL whose introspection (used by migrations) stays inside the workspace's schema. */
class WorkspaceDialect extends PostgresDialect {
  readonly #schema: string

  constructor(config: PostgresDialectConfig, schema: string) {
    super(config)
    this.#schema = schema
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SchemaIntrospector(db, this.#schema)
  }
}
