import { AmanatError } from '@amanat/domain'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import type { IntakeStore, StoreLimits } from './intake-store.ts'
import { KyselyIntakeStore, type DialectStrategy } from './kysely-store.ts'
import { migrate } from './migrations.ts'
import type { IntakeTables } from './tables.ts'

/** The schema the intake store uses unless the URL names one (`?schema=…`). */
export const DEFAULT_INTAKE_SCHEMA = 'amanat_intake'

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/
const INT8_OID = 20
/** The advisory lock that serialises writers across server processes ("amanat" in ASCII, as a number). */
const WRITE_LOCK = 0x616d616e6174

const textParser = pg.types.getTypeParser as (oid: number, format: 'text') => (text: string) => unknown

/** int8 (every `count(*)`) as a number, like SQLite's: counts and seqs never approach 2^53. */
function typeParser(oid: number, format?: 'text' | 'binary'): (text: string) => unknown {
  if (oid === INT8_OID && format !== 'binary') return (text) => Number(text)
  return textParser(oid, 'text')
}
const types: pg.CustomTypesConfig = { getTypeParser: typeParser as pg.CustomTypesConfig['getTypeParser'] }

/** Splits `?schema=name` off a PostgreSQL URL. */
export function parsePostgresUrl(url: string): { connectionString: string; schema: string } {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new AmanatError('usage', 'intake.bad_postgres_url', 'The --postgres value is not a URL (postgres://user@host:port/database).')
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new AmanatError('usage', 'intake.bad_postgres_url', 'The --postgres URL must start with postgres://.')
  }
  const schema = parsed.searchParams.get('schema') ?? DEFAULT_INTAKE_SCHEMA
  parsed.searchParams.delete('schema')
  if (!SCHEMA_NAME.test(schema)) {
    throw new AmanatError('usage', 'intake.bad_postgres_url', 'The schema in the --postgres URL must be lowercase letters, digits and underscores.')
  }
  return { connectionString: parsed.toString(), schema }
}

/**
 * Opens the PostgreSQL intake store: creates its schema and tables when needed, under an
 * advisory lock so that several server processes starting together migrate once. Every write
 * transaction takes a transaction-scoped advisory lock first, which serialises the batches of all
 * processes sharing the database: the invite states a batch decides on and the chain's head
 * cannot change under it, so no submission is lost or stored twice.
 *
 * @throws AmanatError usage `intake.bad_postgres_url`; internal `intake.store_unavailable` when
 *   the server cannot be reached.
 */
export async function openPostgresStore(url: string, limits: StoreLimits): Promise<IntakeStore> {
  const { connectionString, schema } = parsePostgresUrl(url)
  // search_path is set when each connection starts, so no query can ever run outside the schema.
  const pool = new pg.Pool({ connectionString, max: 4, types, options: `-c search_path=${schema}` })
  // An idle client's error (the server restarted) must not crash the process; the next query fails instead.
  pool.on('error', () => undefined)
  const db = new Kysely<IntakeTables>({ dialect: new PostgresDialect({ pool }) })
  const strategy: DialectStrategy = {
    dialect: 'postgres',
    begin: async (conn) => {
      await sql.raw('begin').execute(conn)
      await sql`select pg_advisory_xact_lock(${WRITE_LOCK})`.execute(conn)
    },
    integrityProblems: () => Promise.resolve([]),
    destroy: () => Promise.resolve(),
  }
  try {
    await db.connection().execute(async (conn) => {
      await strategy.begin(conn)
      try {
        await sql.raw(`create schema if not exists "${schema}"`).execute(conn)
        await sql.raw(`set local search_path to "${schema}"`).execute(conn)
        await migrate(conn, 'postgres')
        await sql.raw('commit').execute(conn)
      } catch (error) {
        await sql.raw('rollback').execute(conn).catch(() => undefined)
        throw error
      }
    })
  } catch (error) {
    await db.destroy().catch(() => undefined)
    if (error instanceof AmanatError) throw error
    throw new AmanatError('internal', 'intake.store_unavailable', 'The PostgreSQL intake store cannot be opened.', {}, { cause: error })
  }
  return new KyselyIntakeStore(db, strategy, limits)
}
