import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll } from 'vitest'
import { POSTGRES_URL, postgresAvailable } from '../../../tools/test-support/services.ts'
import { deriveWorkspaceKeys, newKdfParams, type WorkspaceKeys } from '../src/workspace-key.ts'
import { openStoreWith, type StoreInternals, type WorkspaceStore } from '../src/store.ts'
import type { StoreConfig } from '../src/store-config.ts'
import type { Entropy } from '../src/entropy.ts'

/**
 * Every store test runs against each dialect (kysely's test-setup idea): SQLite in a fresh temp
 * directory, PostgreSQL in a fresh schema, dropped afterwards. Each test file gets a database of
 * its own on the test server, so its catalog queries never race with schemas that other test
 * processes create and drop at the same moment.
 * `AMANAT_DIALECTS=sqlite` narrows the list; PostgreSQL is skipped with one line when it is not
 * running (an error under CI=true).
 */
export type Dialect = 'sqlite' | 'postgres'

export const DIALECTS: readonly Dialect[] = (process.env.AMANAT_DIALECTS ?? 'sqlite,postgres')
  .split(',')
  .map((d) => d.trim())
  .filter((d): d is Dialect => d === 'sqlite' || d === 'postgres')

const postgresUp = DIALECTS.includes('postgres') ? await postgresAvailable() : false

/** The dialects that can run here: `describe.each(RUNNABLE_DIALECTS)`. */
export const RUNNABLE_DIALECTS: readonly Dialect[] = DIALECTS.filter((d) => d === 'sqlite' || postgresUp)

const fileDatabase = `amanat_test_${Math.random().toString(36).slice(2, 12)}`

/** The URL of this test file's own PostgreSQL database. */
export const TEST_POSTGRES_URL = (() => {
  const url = new URL(POSTGRES_URL)
  url.pathname = `/${fileDatabase}`
  return url.toString()
})()

if (postgresUp) {
  await withServer((client) => client.query(`create database "${fileDatabase}"`))
  afterAll(async () => {
    await withServer((client) => client.query(`drop database if exists "${fileDatabase}" with (force)`))
  })
}

async function withServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

let keys: WorkspaceKeys | undefined

/** Keys from a test-only passphrase (cheap scrypt), derived once per file. */
export async function testKeys(): Promise<WorkspaceKeys> {
  keys ??= await deriveWorkspaceKeys('correct horse battery staple', newKdfParams({ testOnly: true }))
  return keys
}

/** A store under test and where it lives. `dispose` closes it and removes every trace. */
export interface TestStore {
  readonly store: WorkspaceStore
  readonly dialect: Dialect
  /** How to open the same store again (create is off). */
  readonly config: StoreConfig
  /** SQLite: the workspace file. */
  readonly file: string | null
  /** PostgreSQL: the schema. */
  readonly schema: string | null
  /** Opens the same store again with other internals (the first store must be closed). */
  reopen(internals?: StoreInternals, overrides?: Partial<StoreConfig>): Promise<WorkspaceStore>
  dispose(): Promise<void>
}

export interface FreshStoreOptions {
  readonly entropy?: Entropy
  readonly storeKey?: Uint8Array | null
  readonly internals?: StoreInternals
}

/** Opens a new, empty store of `dialect`. */
export async function freshStore(dialect: Dialect, options: FreshStoreOptions = {}): Promise<TestStore> {
  const { storeKey, subjectKek } = await testKeys()
  const entropy = options.entropy === undefined ? {} : { unsafeTestEntropy: options.entropy }
  const opened: WorkspaceStore[] = []
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'amanat-db-test-'))
    const file = join(dir, 'workspace.db')
    const config: StoreConfig = {
      dialect,
      file,
      storeKey: options.storeKey === undefined ? storeKey : options.storeKey,
      subjectKek,
      ...entropy,
    }
    const store = await openStoreWith({ ...config, create: true }, options.internals ?? {}).catch(
      (error: unknown) => {
        rmSync(dir, { recursive: true, force: true })
        throw error
      },
    )
    opened.push(store)
    return {
      store,
      dialect,
      config,
      file,
      schema: null,
      async reopen(internals = {}, overrides = {}) {
        const again = await openStoreWith({ ...config, ...overrides } as StoreConfig, internals)
        opened.push(again)
        return again
      },
      async dispose() {
        for (const s of opened) await s.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  }
  const schema = `t_${Math.random().toString(36).slice(2, 12)}`
  const config: StoreConfig = { dialect, url: TEST_POSTGRES_URL, schema, subjectKek, ...entropy }
  const store = await openStoreWith({ ...config, create: true }, options.internals ?? {}).catch(
    async (error: unknown) => {
      await withPostgres((client) => client.query(`drop schema if exists "${schema}" cascade`))
      throw error
    },
  )
  opened.push(store)
  return {
    store,
    dialect,
    config,
    file: null,
    schema,
    async reopen(internals = {}, overrides = {}) {
      const again = await openStoreWith({ ...config, ...overrides } as StoreConfig, internals)
      opened.push(again)
      return again
    },
    async dispose() {
      for (const s of opened) await s.close()
      await withPostgres((client) => client.query(`drop schema if exists "${schema}" cascade`))
    },
  }
}

/** Runs `work` with a plain pg client on this file's test database (for tampering and cleanup). */
export async function withPostgres<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/**
 * Runs one statement on the store's database through a connection of its own, as someone holding
 * the key would (tampering tests). Placeholders are written `$1`, `$2`… in order.
 */
export async function rawExecute(
  target: TestStore,
  text: string,
  params: readonly unknown[] = [],
): Promise<void> {
  if (target.dialect === 'postgres') {
    await withPostgres(async (client) => {
      await client.query(`set search_path to "${target.schema ?? ''}"`)
      await client.query(text, [...params])
    })
    return
  }
  const { openSqliteConnection, DEFAULT_SQLITE_TUNING } = await import('../src/dialects/sqlite.ts')
  const config = target.config
  if (config.dialect !== 'sqlite') throw new Error('not a SQLite store')
  const db = openSqliteConnection({
    file: config.file,
    storeKey: config.storeKey,
    create: false,
    tuning: DEFAULT_SQLITE_TUNING,
  })
  try {
    db.prepare(text.replace(/\$\d+/g, '?')).run(...(params as unknown[]))
  } finally {
    db.close()
  }
}

/** Every projection table's rows, sorted, as plain objects (for comparing stores and replays). */
export async function projectionSnapshot(store: WorkspaceStore): Promise<Record<string, unknown[]>> {
  const { PROJECTION_TABLES, TABLE_SPECS } = await import('../src/schema/database.ts')
  const out: Record<string, unknown[]> = {}
  for (const table of PROJECTION_TABLES) {
    const rows = (await store.db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[]
    const key: readonly string[] = TABLE_SPECS[table].key
    const sortKey = (row: Record<string, unknown>) =>
      key.map((c) => String(row[c]).padStart(20, '0')).join('|')
    out[table] = rows
      .map((row) => ({ ...row }))
      .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0))
  }
  return out
}
