import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { AmanatError } from '@amanat/domain'
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers'
import { Kysely, sql, SqliteDialect, type SqliteDatabase } from 'kysely'
import type { IntakeStore, StoreLimits } from './intake-store.ts'
import { AppendedInviteUses } from './invite-uses.ts'
import { ItemSeqs } from './item-seqs.ts'
import { KyselyIntakeStore, type DialectStrategy } from './kysely-store.ts'
import { migrate } from './migrations.ts'
import { IntakeCheckpointer } from './sqlite-checkpointer.ts'
import type { IntakeTables } from './tables.ts'

const STATEMENT_CACHE = 256

/**
 * The database as Kysely's driver sees it, with prepared statements kept for reuse: the driver
 * prepares every query it runs, and compiling the same multi-row INSERT again on every group
 * commit is a measurable part of a commit's time. One connection runs one statement at a time,
 * so reusing them is safe. The oldest are dropped past {@link STATEMENT_CACHE}.
 */
function withStatementCache(database: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>()
  return {
    close: () => {
      database.close()
    },
    prepare: (sql) => {
      let statement = statements.get(sql)
      if (statement === undefined) {
        statement = database.prepare(sql)
        if (statements.size >= STATEMENT_CACHE) statements.delete(statements.keys().next().value ?? '')
        statements.set(sql, statement)
      }
      return statement
    },
  }
}

/** The store's file inside the data directory (with its `-wal` and `-shm` beside it). */
export const SQLITE_FILE = 'intake.db'

/**
 * Opens (creating when needed) the SQLite intake store in `dataDir`. The file is plain SQLite:
 * better-sqlite3-multiple-ciphers is used without a key because the server stores only
 * ciphertext, hashes and days. WAL with synchronous=FULL, so a commit that returned has been
 * fsynced and survives a crash or power loss (T01, T02).
 *
 * @throws AmanatError internal `intake.store_unavailable` when the file cannot be opened, or
 *   when SQLite will not run with synchronous=FULL.
 */
export async function openSqliteStore(dataDir: string, limits: StoreLimits): Promise<IntakeStore> {
  let database: BetterSqlite3.Database
  const file = join(dataDir, SQLITE_FILE)
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    database = new BetterSqlite3(file)
    database.pragma('journal_mode = WAL')
    database.pragma('synchronous = FULL')
    database.pragma('busy_timeout = 5000')
    // Freed pages are zeroed, so a deleted ciphertext does not linger in the file.
    database.pragma('secure_delete = ON')
  } catch (error) {
    throw new AmanatError('internal', 'intake.store_unavailable', 'The intake store cannot be opened.', {}, { cause: error })
  }
  if (database.pragma('synchronous', { simple: true }) !== 2 || database.pragma('journal_mode', { simple: true }) !== 'wal') {
    database.close()
    throw new AmanatError('internal', 'intake.store_unavailable', 'SQLite refused WAL with synchronous=FULL.')
  }
  const db = new Kysely<IntakeTables>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) })
  let checkpointer: IntakeCheckpointer | null = null
  const itemSeqs = new ItemSeqs()
  const inviteUses = new AppendedInviteUses()
  // Prepared once: `pragma()` would prepare it again at every transaction.
  const readDataVersion = database.prepare<[], number>('pragma data_version').pluck()
  let dataVersion: number | null = null
  const strategy: DialectStrategy = {
    dialect: 'sqlite',
    // IMMEDIATE takes the write lock at once: the batch reads invite states and then writes, and
    // a deferred transaction could be overtaken between the two by another process.
    begin: async (conn) => {
      await sql.raw('begin immediate').execute(conn)
      // The maps in memory hold what this connection committed. If any other connection (another
      // process on the same file, an operator's tool) committed since, read them again.
      const version = readDataVersion.get() ?? null
      if (version !== dataVersion) {
        itemSeqs.forget()
        inviteUses.forget()
        dataVersion = version
      }
    },
    integrityProblems: async (conn) => {
      const rows = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(conn)
      const result = rows.rows.map((row) => row.integrity_check)
      return result.length === 1 && result[0] === 'ok' ? [] : result.map((line) => `integrity_check: ${line}`)
    },
    afterCommit: () => {
      checkpointer?.afterCommit()
    },
    itemSeqs,
    inviteUses,
    destroy: async () => {
      await checkpointer?.close()
    },
  }
  await db.connection().execute(async (conn) => {
    await strategy.begin(conn)
    try {
      await migrate(conn, 'sqlite')
      await sql.raw('commit').execute(conn)
    } catch (error) {
      await sql.raw('rollback').execute(conn)
      throw error
    }
  })
  // Once the schema exists: the checkpointer's own connection opens the file as it is.
  checkpointer = new IntakeCheckpointer(database, file)
  return new KyselyIntakeStore(db, strategy, limits)
}
