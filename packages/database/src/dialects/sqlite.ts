import { existsSync, statSync } from 'node:fs'
import { AmanatError, inputError, integrityError, usageError } from '@amanat/domain'
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers'
import { Kysely, SqliteAdapter, SqliteDialect, type DialectAdapter, type Driver } from 'kysely'
import type { Database } from '../schema/database.ts'
import { ErrorTranslatingDriver } from './error-translating-driver.ts'

/** A better-sqlite3-multiple-ciphers connection. */
export type SqliteConnection = BetterSqlite3.Database

/**
 * How the SQLite file is laid out and cached. Chosen by measurement (bench/workspace-writes.ts;
 * the numbers and the reasons are in {@link DEFAULT_SQLITE_TUNING}); tests and benchmarks may
 * override it through the internal `openStoreWith`, callers of `openStore` cannot.
 */
export interface SqliteTuning {
  /**
   * The page cipher. Both are authenticated: `chacha20` is SQLite3MultipleCiphers' ChaCha20-
   * Poly1305 (sqleet scheme, a Poly1305 tag per page); `sqlcipher` is the SQLCipher v4 scheme
   * (AES-256-CBC + HMAC-SHA512 per page). Fixed for a file once written.
   */
  readonly cipher: 'chacha20' | 'sqlcipher'
  /** Bytes per page for a new file (ignored for an existing one). */
  readonly pageSize: number
  /** The page cache, in KiB. Pages in the cache are held decrypted; misses cost a decryption. */
  readonly cacheSizeKiB: number
  /** WAL pages after which a commit checkpoints into the main file. */
  readonly walAutocheckpointPages: number
}

/**
 * Measured on the 2-core reference machine (bench/workspace-writes.ts --full re-measures them):
 * - `chacha20`: authenticated, and the faster of the two authenticated ciphers in this build,
 *   which compiles SQLite3MultipleCiphers without AES hardware support, so the SQLCipher scheme's
 *   AES-CBC + HMAC-SHA512 runs in portable C (BASELINES Part 2 §2: 0.23× plain vs 0.33×).
 * - 16 KiB pages: on the bulk path (synthetic study, batches of 5,000) the whole append costs
 *   about 275 µs of CPU per event at 16 KiB against 300 at 8 KiB and 330 at 4 KiB; per-page
 *   cipher work (nonce, Poly1305 tag) and B-tree work fall with fewer pages. The price is paid
 *   by single-event commits, which rewrite whole pages: a one-event import costs about 2.5 ms
 *   of CPU at 16 KiB against 1.4 ms at 4 KiB, still far below what a person notices.
 * - a 64 MiB cache holds the right-hand edge of every B-tree the bulk path appends to.
 * - automatic checkpoints every 1,000 pages, used only when the background checkpointer
 *   (sqlite-checkpointer.ts) is not running.
 */
export const DEFAULT_SQLITE_TUNING: SqliteTuning = {
  cipher: 'chacha20',
  pageSize: 16384,
  cacheSizeKiB: 64 * 1024,
  walAutocheckpointPages: 1000,
}

/** What {@link openSqliteConnection} opens, with which key, and how. */
export interface SqliteOpenOptions {
  readonly file: string
  /** The 32-byte store key, or null for a plain (unencrypted) file. */
  readonly storeKey: Uint8Array | null
  readonly create: boolean
  readonly tuning: SqliteTuning
}

/**
 * Opens (or, with `create`, creates) the SQLite file and proves the key before anything writes:
 * the first read authenticates page 1, so a wrong key fails there and the file is left as it was.
 *
 * Throws {@link AmanatError}: input `workspace.not_found` (no file and no `create`), input
 * `workspace.wrong_passphrase` (page 1 does not authenticate under this key, or the file is
 * encrypted and no key was given, or plain and a key was given), input `workspace.unrecognised`
 * (a database with tables but no workspace history), integrity `workspace.corrupt` (an empty file
 * without `create`, or a page failing its MAC), usage `workspace.bad_key`. A damaged page 1 cannot
 * be told from a wrong key (its MAC fails either way): the caller's key check tells them apart.
 */
export function openSqliteConnection(options: SqliteOpenOptions): SqliteConnection {
  const { file, storeKey, create, tuning } = options
  if (storeKey !== null && storeKey.length !== 32) {
    throw usageError('workspace.bad_key', 'The workspace store key must be 32 bytes.')
  }
  const exists = existsSync(file)
  if (!exists && !create)
    throw inputError('workspace.not_found', 'There is no workspace at this path.', { file })
  if (exists && statSync(file).size === 0 && !create) {
    throw integrityError('workspace.corrupt', 'The workspace file is empty.', { file })
  }
  let db: SqliteConnection
  try {
    db = new BetterSqlite3(file, { fileMustExist: !create })
  } catch (error) {
    throw openFailure(error)
  }
  try {
    if (storeKey !== null) applyKey(db, storeKey, tuning)
    const tables = (
      db.prepare("select name from sqlite_schema where type = 'table'").all() as { name: string }[]
    ).map((t) => t.name)
    // Recognised before any setting is changed: switching a foreign file to WAL would rewrite its header.
    if (tables.length > 0 && !tables.includes('kysely_migration')) {
      throw inputError(
        'workspace.unrecognised',
        'This database is not an Amanat workspace; it was left untouched.',
      )
    }
    if (tables.length === 0) db.pragma(`page_size = ${String(tuning.pageSize)}`)
    configure(db, tuning)
    return db
  } catch (error) {
    db.close()
    throw openFailure(error)
  }
}

function applyKey(db: SqliteConnection, storeKey: Uint8Array, tuning: SqliteTuning): void {
  db.pragma(`cipher = '${tuning.cipher}'`)
  if (tuning.cipher === 'sqlcipher') {
    // legacy = 4 is the SQLCipher v4 file format, readable by SQLCipher itself.
    db.pragma('legacy = 4')
    db.pragma(`legacy_page_size = ${String(tuning.pageSize)}`)
  }
  const raw = rawKey(storeKey)
  try {
    db.key(raw)
  } finally {
    raw.fill(0)
  }
}

/**
 * The key in SQLite3MultipleCiphers' raw form, `raw:` + 64 hex digits, which bypasses the
 * cipher's own PBKDF2 (`sqlite3mcExtractRawKey` in its codec: a `raw:` prefix with a key-length
 * hex string sets `bypass`, see SQLite3MultipleCiphers' "Raw key" docs). Stretching belongs to
 * our scrypt (workspace-key.ts): the store key is already a uniformly random 256-bit HKDF output,
 * so a second slow KDF would add opening time and no strength. Built in a Buffer (never a
 * string) so it can be wiped after use.
 */
export function rawKey(key: Uint8Array): Buffer {
  const hex = '0123456789abcdef'
  const out = Buffer.alloc(4 + key.length * 2)
  out.write('raw:', 0, 'ascii')
  key.forEach((byte, i) => {
    out[4 + 2 * i] = hex.charCodeAt(byte >> 4)
    out[5 + 2 * i] = hex.charCodeAt(byte & 15)
  })
  return out
}

/**
 * Connection settings, checked after setting because SQLite ignores a pragma it cannot apply:
 * - WAL with `synchronous = FULL`: a commit is durable when it returns (SECURITY-TESTS §2.8:
 *   NORMAL may lose the last commits on power loss). This build defaults WAL to NORMAL, so it
 *   must be set.
 * - `secure_delete`: deleted content is overwritten, not left in free pages (crypto-shredding).
 * - `temp_store = MEMORY`: sorts and temporary indexes never spill plaintext to a temp file.
 */
function configure(db: SqliteConnection, tuning: SqliteTuning): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true })
  db.pragma('synchronous = FULL')
  db.pragma('secure_delete = ON')
  db.pragma('foreign_keys = ON')
  db.pragma('temp_store = MEMORY')
  db.pragma(`cache_size = -${String(tuning.cacheSizeKiB)}`)
  db.pragma(`wal_autocheckpoint = ${String(tuning.walAutocheckpointPages)}`)
  const checks: [unknown, unknown][] = [
    [mode, 'wal'],
    [db.pragma('synchronous', { simple: true }), 2],
    [db.pragma('secure_delete', { simple: true }), 1],
    [db.pragma('foreign_keys', { simple: true }), 1],
    [db.pragma('temp_store', { simple: true }), 2],
  ]
  if (checks.some(([actual, expected]) => actual !== expected)) {
    throw new AmanatError(
      'internal',
      'workspace.settings_refused',
      'SQLite refused a required workspace setting.',
    )
  }
}

function sqliteCode(error: unknown): string | null {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : null
}

/** A page that fails its MAC, or any other damage SQLite reports, as integrity `workspace.corrupt`. */
export function translateSqliteError(error: unknown): Error {
  const code = sqliteCode(error)
  if (code !== null && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) {
    return new AmanatError(
      'integrity',
      'workspace.corrupt',
      'The workspace file is damaged or was altered: a page failed its integrity check.',
      { sqlite: code },
      { cause: error },
    )
  }
  return error instanceof Error ? error : new Error('SQLite failed', { cause: error })
}

function openFailure(error: unknown): unknown {
  if (error instanceof AmanatError) return error
  const code = sqliteCode(error)
  if (code === 'SQLITE_NOTADB') {
    return new AmanatError(
      'input',
      'workspace.wrong_passphrase',
      'The workspace cannot be opened with this passphrase.',
      {},
      { cause: error },
    )
  }
  if (code === 'SQLITE_CANTOPEN') {
    return new AmanatError(
      'input',
      'workspace.not_found',
      'The workspace file cannot be opened.',
      {},
      { cause: error },
    )
  }
  return translateSqliteError(error)
}

/** SQLite runs DDL inside transactions; Kysely's adapter says otherwise, so migrations would not be atomic. */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true
  }
}

class WorkspaceSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter()
  }

  override createDriver(): Driver {
    return new ErrorTranslatingDriver(super.createDriver(), translateSqliteError)
  }
}

/** Kysely over the connection, with atomic migrations and translated errors. Destroying it closes the connection. */
export function sqliteKysely(connection: SqliteConnection): Kysely<Database> {
  return new Kysely<Database>({ dialect: new WorkspaceSqliteDialect({ database: connection }) })
}
