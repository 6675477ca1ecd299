import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers'
import pg from 'pg'
import { POSTGRES_URL, postgresAvailable } from '../../../../tools/test-support/services.ts'
import { openPostgresStore, openSqliteStore, SQLITE_FILE, type IntakeStore, type StoreLimits } from '../../src/index.ts'

/**
 * Both stores, for tests that must hold on each dialect. The PostgreSQL one lives in a fresh
 * schema per store opened, dropped by `dispose`.
 */

export const LIMITS: StoreLimits = { uploadsPerInvite: 3, quarantinePerInvite: 2 }

/** A place a store lives, that can be opened (several times) and disposed of. */
export interface StoreSite {
  readonly dialect: 'sqlite' | 'postgres'
  /** What `--data` or `--postgres` would be given to reach it. */
  readonly location: { readonly dataDir: string } | { readonly postgresUrl: string }
  open(limits?: StoreLimits): Promise<IntakeStore>
  /** Runs raw SQL against the store, bypassing it (for tampering). */
  raw(statement: string, params?: unknown[]): Promise<void>
  dispose(): Promise<void>
}

export function sqliteSite(): StoreSite {
  const dataDir = mkdtempSync(join(tmpdir(), 'amanat-intake-store-'))
  return {
    dialect: 'sqlite',
    location: { dataDir },
    open: (limits = LIMITS) => openSqliteStore(dataDir, limits),
    raw: (statement, params = []) => {
      const db = new BetterSqlite3(join(dataDir, SQLITE_FILE))
      try {
        db.prepare(statement).run(...params)
      } finally {
        db.close()
      }
      return Promise.resolve()
    },
    dispose: () => {
      rmSync(dataDir, { recursive: true, force: true })
      return Promise.resolve()
    },
  }
}

export function postgresSite(): StoreSite {
  const schema = `intake_test_${randomBytes(6).toString('hex')}`
  const url = new URL(POSTGRES_URL)
  url.searchParams.set('schema', schema)
  const withClient = async (work: (client: pg.Client) => Promise<unknown>) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` })
    await client.connect()
    try {
      await work(client)
    } finally {
      await client.end()
    }
  }
  return {
    dialect: 'postgres',
    location: { postgresUrl: url.toString() },
    open: (limits = LIMITS) => openPostgresStore(url.toString(), limits),
    raw: (statement, params = []) => withClient((client) => client.query(statement, params)),
    dispose: () => withClient((client) => client.query(`drop schema if exists ${schema} cascade`)),
  }
}

/** The sites to test on: SQLite always, PostgreSQL when it answers (required under CI=true). */
export async function storeSites(): Promise<{ readonly name: string; readonly make: () => StoreSite }[]> {
  const sqlite = { name: 'sqlite', make: sqliteSite }
  return (await postgresAvailable()) ? [sqlite, { name: 'postgres', make: postgresSite }] : [sqlite]
}
