import { integrityError } from '@amanat/domain'
import { sql, type Kysely } from 'kysely'
import { PROJECTION_TABLES, type Database } from './schema/database.ts'

/**
 * Secondary indexes set aside during a bulk load (docs/decisions/0021). Appending a respondent
 * inserts into every index of the projection tables, and the indexes on codes, countries and
 * normalised identifiers take their keys in no useful order: at scale each insert lands on a
 * different page. Building an index once, from sorted keys, costs a fraction of that.
 *
 * Only non-unique indexes of projection tables are set aside: a unique index is a rule the load
 * must keep (two respondents with one pseudonym), and the log's own tables are never touched.
 * Setting aside records each index's statement in `deferred_indexes` and drops it in the same
 * transaction; restoring builds each listed index and removes its row in one transaction. The
 * store restores on every open, so a crash between the two costs an index build, never an index.
 */

export interface DeferredIndex {
  readonly name: string
  readonly definition: string
}

const projectionTables = sql.join(PROJECTION_TABLES.map((table) => sql.lit(table)))

/** The non-unique secondary indexes on projection tables, as statements that build them. */
async function secondaryIndexes(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
): Promise<DeferredIndex[]> {
  const query =
    dialect === 'sqlite'
      ? sql<DeferredIndex>`select "name", "sql" as "definition" from sqlite_schema
          where "type" = 'index' and "sql" is not null and "tbl_name" in (${projectionTables})
            and upper("sql") not like 'CREATE UNIQUE%' order by "name"`
      : sql<DeferredIndex>`select indexname as "name", indexdef as "definition" from pg_indexes
          where schemaname = current_schema() and tablename in (${projectionTables})
            and upper(indexdef) not like 'CREATE UNIQUE%' order by indexname`
  return (await query.execute(db)).rows
}

/** Records and drops the deferrable indexes, in one transaction; returns what was set aside. */
export async function setIndexesAside(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
): Promise<DeferredIndex[]> {
  return db.transaction().execute(async (trx) => {
    const indexes = await secondaryIndexes(trx, dialect)
    for (const index of indexes) {
      await sql`insert into "deferred_indexes" ("name", "definition") values (${index.name}, ${index.definition})`.execute(
        trx,
      )
      await sql`drop index ${sql.id(index.name)}`.execute(trx)
    }
    return indexes
  })
}

/** Builds every index set aside and forgets it, in one transaction; returns how many were built. */
export async function restoreIndexes(db: Kysely<Database>): Promise<number> {
  const listed =
    await sql<DeferredIndex>`select "name", "definition" from "deferred_indexes" order by "name"`.execute(db)
  if (listed.rows.length === 0) return 0
  for (const index of listed.rows) {
    // Only ever what setIndexesAside read from the schema; anything else is not run.
    if (!/^create index [^;]+$/i.test(index.definition)) {
      throw integrityError(
        'workspace.corrupt',
        'A deferred index holds a statement that is not an index definition.',
        {
          index: index.name,
        },
      )
    }
  }
  await db.transaction().execute(async (trx) => {
    for (const index of listed.rows) {
      await sql.raw(index.definition).execute(trx)
      await sql`delete from "deferred_indexes" where "name" = ${index.name}`.execute(trx)
    }
  })
  return listed.rows.length
}
