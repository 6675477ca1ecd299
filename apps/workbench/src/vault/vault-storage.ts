import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { WorkspaceStore } from '@amanat/database'
import { sql } from 'kysely'
import { writeFileDurably } from '../intake/durable-file.ts'
import { overwriteAndUnlink } from '../keys/files.ts'

/** The vault's folder inside a workspace. A travel copy leaves it behind. */
export const VAULT_DIR = 'vault'

/** What a vault entry's name looks like (a keyed hash of the respondent id, vault.ts). */
const ENTRY_NAME = /^[0-9a-f]{32}\.entry$/

/**
 * The version of a sealed entry: the SHA-256 of its bytes (every write seals under a fresh nonce,
 * so every write makes a new one). Null for no entry.
 */
export const versionOf = (sealed: Buffer | null): string | null =>
  sealed === null ? null : createHash('sha256').update(sealed).digest('hex')

/**
 * What a write or removal expects to find: `undefined` whatever is there; `null` no entry; a
 * version, the entry that has it.
 */
export type ExpectedEntry = string | null | undefined

/** What a removal did: removed the entry, found none, or found another version and left it. */
export type Removal = 'removed' | 'absent' | 'changed'

/**
 * Where the sealed vault entries live, by their keyed names: files in the workspace folder for an
 * embedded workspace (one analyst's machine), rows of the store for a team's PostgreSQL workspace,
 * so every analyst of the team reads, and every story check knows, the same entries.
 */
export interface SealedEntries {
  read(name: string): Promise<Buffer | null>
  /** Writes the entry if what is there is `expected` ({@link ExpectedEntry}); false (nothing written) otherwise. */
  write(name: string, sealed: Buffer, expected: ExpectedEntry): Promise<boolean>
  /** Removes the entry (files: overwritten first) if what is there is `expected`. */
  remove(name: string, expected: ExpectedEntry): Promise<Removal>
}

/** Whether `sealed` is what `expected` asks for. */
const matches = (sealed: Buffer | null, expected: ExpectedEntry): boolean =>
  expected === undefined || versionOf(sealed) === expected

/** The entries of a workspace stored by `store`: rows on PostgreSQL, files otherwise. */
export function sealedEntriesFor(workspaceDir: string, store: WorkspaceStore): SealedEntries {
  const folder = new EntryFiles(join(workspaceDir, VAULT_DIR))
  return store.dialect === 'postgres' ? new EntryRows(store, folder) : folder
}

/**
 * One sealed file per entry in `<workspace>/vault/`, written durably. Its version checks compare,
 * then write: the vault serialises its own calls; another process of the same machine (a CLI next
 * to the workbench) writing the same entry in between is the gap left.
 */
export class EntryFiles implements SealedEntries {
  readonly dir: string

  constructor(dir: string) {
    this.dir = dir
  }

  read(name: string): Promise<Buffer | null> {
    const path = join(this.dir, name)
    return Promise.resolve(existsSync(path) ? readFileSync(path) : null)
  }

  async write(name: string, sealed: Buffer, expected: ExpectedEntry): Promise<boolean> {
    if (!matches(await this.read(name), expected)) return false
    mkdirSync(this.dir, { recursive: true, mode: 0o700 })
    writeFileDurably(join(this.dir, name), sealed)
    return true
  }

  async remove(name: string, expected: ExpectedEntry): Promise<Removal> {
    const current = await this.read(name)
    if (!matches(current, expected)) return 'changed'
    if (current === null) return 'absent'
    overwriteAndUnlink(join(this.dir, name))
    return 'removed'
  }

  /** The names of the entries in the folder. */
  names(): string[] {
    return existsSync(this.dir) ? readdirSync(this.dir).filter((name) => ENTRY_NAME.test(name)) : []
  }
}

/**
 * Entries as rows of the team's store (`vault_entries`). Entries this machine kept as files
 * before (when a team's vault was each analyst's folder) are moved into the store on first use:
 * each one whose name the store lacks, and its file overwritten and removed; a file whose entry
 * the store already holds from another analyst stays where it is, untouched, so nothing is lost.
 */
export class EntryRows implements SealedEntries {
  readonly #store: WorkspaceStore
  readonly #folder: EntryFiles
  #adopted: Promise<void> | null = null

  constructor(store: WorkspaceStore, folder: EntryFiles) {
    this.#store = store
    this.#folder = folder
  }

  async read(name: string): Promise<Buffer | null> {
    await this.#adoptFiles()
    const row = await this.#store.db
      .selectFrom('vault_entries')
      .select('sealed')
      .where('name', '=', name)
      .executeTakeFirst()
    return row === undefined ? null : Buffer.from(row.sealed)
  }

  /** A compare-and-set in one statement, so two analysts' writes cannot cross between check and write. */
  async write(name: string, sealed: Buffer, expected: ExpectedEntry): Promise<boolean> {
    await this.#adoptFiles()
    const db = this.#store.db
    if (expected === null) {
      const added = await db
        .insertInto('vault_entries')
        .values({ name, sealed })
        .onConflict((oc) => oc.column('name').doNothing())
        .executeTakeFirst()
      return (added.numInsertedOrUpdatedRows ?? 0n) > 0n
    }
    if (expected === undefined) {
      await db
        .insertInto('vault_entries')
        .values({ name, sealed })
        .onConflict((oc) => oc.column('name').doUpdateSet({ sealed }))
        .execute()
      return true
    }
    const updated = await db
      .updateTable('vault_entries')
      .set({ sealed })
      .where('name', '=', name)
      .where(sealedVersion, '=', expected)
      .executeTakeFirst()
    return updated.numUpdatedRows > 0n
  }

  async remove(name: string, expected: ExpectedEntry): Promise<Removal> {
    await this.#adoptFiles()
    if (expected === null) return (await this.read(name)) === null ? 'absent' : 'changed'
    let query = this.#store.db.deleteFrom('vault_entries').where('name', '=', name)
    if (typeof expected === 'string') query = query.where(sealedVersion, '=', expected)
    const result = await query.executeTakeFirst()
    if (result.numDeletedRows > 0n) {
      // A file of the same entry left from before (see above) goes too.
      await this.#folder.remove(name, undefined)
      return 'removed'
    }
    // Nothing deleted: without a version there was no row; with one, the row is another version.
    return expected === undefined ? 'absent' : 'changed'
  }

  #adoptFiles(): Promise<void> {
    this.#adopted ??= (async () => {
      for (const name of this.#folder.names()) {
        const sealed = await this.#folder.read(name)
        if (sealed === null) continue
        const added = await this.#store.db
          .insertInto('vault_entries')
          .values({ name, sealed })
          .onConflict((oc) => oc.column('name').doNothing())
          .executeTakeFirst()
        if ((added.numInsertedOrUpdatedRows ?? 0n) > 0n) await this.#folder.remove(name, undefined)
      }
    })()
    return this.#adopted
  }
}

/** {@link versionOf}, computed by PostgreSQL. */
const sealedVersion = sql<string>`encode(sha256("sealed"), 'hex')`
