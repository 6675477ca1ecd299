import { hkdfSync } from 'node:crypto'
import { existsSync, rmSync } from 'node:fs'
import { AmanatError, usageError } from '@amanat/domain'
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers'

/**
 * The search index's own encrypted SQLite file beside the workspace (`search.db`). It is a derived
 * cache: everything in it can be rebuilt from the workspace, so a file that does not open under
 * the key, is damaged, or was written by another format version is deleted and rebuilt rather than
 * reported. It is still plaintext testimony once decrypted, so it gets the workspace's protections:
 * an authenticated page cipher (ChaCha20-Poly1305, as the store), `secure_delete` so erased terms
 * leave no trace in free pages, and sorting in memory only.
 */
export type IndexConnection = BetterSqlite3.Database

/** Bump when normalisation, tokenisation or the schema changes: older files are rebuilt. */
export const INDEX_FORMAT = 'amanat-search 1'

/**
 * The 32-byte key of the search index, from the workspace's store key by HKDF-SHA-256 with its
 * own info label, so the index never shares a key with the store (workspace-key.ts does the same
 * for the store's own subkeys). The store key is already a uniformly random HKDF output, so no
 * salt is needed.
 */
export function searchIndexKey(storeKey: Uint8Array): Uint8Array {
  if (storeKey.length !== 32) throw usageError('search.bad_key', 'The workspace store key must be 32 bytes.')
  return new Uint8Array(hkdfSync('sha256', storeKey, new Uint8Array(0), 'amanat search-index key v1', 32))
}

const SCHEMA = `
  create table meta (key text primary key, value text not null) strict;
  create table docs (
    docid integer primary key,
    respondent_id text not null,
    respondent_no integer not null,
    testimony_id text not null,
    text_bytes integer not null
  ) strict;
  create index docs_by_respondent on docs (respondent_id);
  create virtual table terms using fts5(
    body, facets,
    content = '', contentless_delete = 1, detail = full,
    tokenize = "ascii tokenchars ':_'", prefix = '3'
  );
  insert into terms (terms, rank) values ('rank', 'bm25(1.0, 0.0)');
`

/**
 * Opens the index file, creating (or, when unusable, re-creating) it. Returns whether it was
 * created empty, so the caller knows to build it.
 */
export function openIndexFile(file: string, key: Uint8Array): { readonly db: IndexConnection; readonly fresh: boolean } {
  if (key.length !== 32) throw usageError('search.bad_key', 'The search index key must be 32 bytes.')
  if (existsSync(file)) {
    const db = tryOpen(file, key)
    if (db !== null) return { db, fresh: false }
    removeIndexFiles(file)
  }
  const db = connect(file, key)
  try {
    db.pragma('page_size = 4096')
    configure(db)
    db.exec(SCHEMA)
    db.prepare('insert into meta (key, value) values (?, ?)').run('format', INDEX_FORMAT)
    return { db, fresh: true }
  } catch (error) {
    db.close()
    throw error
  }
}

/** Removes the index file and its WAL and shared-memory files. */
export function removeIndexFiles(file: string): void {
  for (const path of [file, `${file}-wal`, `${file}-shm`]) rmSync(path, { force: true })
}

function tryOpen(file: string, key: Uint8Array): IndexConnection | null {
  let db: IndexConnection | null = null
  try {
    db = connect(file, key)
    configure(db)
    const format = db.prepare("select value from meta where key = 'format'").pluck().get()
    if (format === INDEX_FORMAT) return db
  } catch (error) {
    if (!isUnusable(error)) {
      db?.close()
      throw error
    }
  }
  db?.close()
  return null
}

/** A wrong key, a damaged page or a missing table: the file is not an index this version can use. */
function isUnusable(error: unknown): boolean {
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : ''
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_ERROR'
}

function connect(file: string, key: Uint8Array): IndexConnection {
  const db = new BetterSqlite3(file)
  db.pragma("cipher = 'chacha20'")
  const hex = Buffer.from(key).toString('hex')
  const raw = Buffer.from(`raw:${hex}`, 'latin1')
  try {
    // The raw form bypasses the cipher's own PBKDF2: the key is already a uniformly random HKDF output.
    db.key(raw)
  } finally {
    raw.fill(0)
  }
  return db
}

/**
 * WAL with `synchronous = NORMAL`: a crash may lose the last commits of a cache, never its
 * consistency (the indexed position is committed with the documents); `secure_delete` and
 * in-memory temporary storage as for the store. Checked after setting, since SQLite ignores what
 * it cannot apply.
 */
function configure(db: IndexConnection): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true })
  db.pragma('synchronous = NORMAL')
  db.pragma('secure_delete = ON')
  db.pragma('temp_store = MEMORY')
  db.pragma('cache_size = -65536')
  if (mode !== 'wal' || db.pragma('secure_delete', { simple: true }) !== 1 || db.pragma('temp_store', { simple: true }) !== 2) {
    throw new AmanatError('internal', 'search.settings_refused', 'SQLite refused a required search index setting.')
  }
}
