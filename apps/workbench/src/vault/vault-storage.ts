import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { WorkspaceStore } from '@amanat/database'
import { writeFileDurably } from '../intake/durable-file.ts'
import { overwriteAndUnlink } from '../keys/files.ts'

/** The vault's folder inside a workspace. A travel copy leaves it behind. */
export const VAULT_DIR = 'vault'

/** What a vault entry's name looks like (a keyed hash of the respondent id, vault.ts). */
const ENTRY_NAME = /^[0-9a-f]{32}\.entry$/

/**
 * Where the sealed vault entries live, by their keyed names: files in the workspace folder for an
 * embedded workspace (one analyst's machine), rows of the store for a team's PostgreSQL workspace,
 * so every analyst of the team reads, and every story check knows, the same entries.
 */
export interface SealedEntries {
  read(name: string): Promise<Buffer | null>
  write(name: string, sealed: Buffer): Promise<void>
  /** Removes the entry (files: overwritten first). True when there was one. */
  remove(name: string): Promise<boolean>
}

/** The entries of a workspace stored by `store`: rows on PostgreSQL, files otherwise. */
export function sealedEntriesFor(workspaceDir: string, store: WorkspaceStore): SealedEntries {
  const folder = new EntryFiles(join(workspaceDir, VAULT_DIR))
  return store.dialect === 'postgres' ? new EntryRows(store, folder) : folder
}

/** One sealed file per entry in `<workspace>/vault/`, written durably. */
export class EntryFiles implements SealedEntries {
  readonly dir: string

  constructor(dir: string) {
    this.dir = dir
  }

  read(name: string): Promise<Buffer | null> {
    const path = join(this.dir, name)
    return Promise.resolve(existsSync(path) ? readFileSync(path) : null)
  }

  write(name: string, sealed: Buffer): Promise<void> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 })
    writeFileDurably(join(this.dir, name), sealed)
    return Promise.resolve()
  }

  remove(name: string): Promise<boolean> {
    const path = join(this.dir, name)
    if (!existsSync(path)) return Promise.resolve(false)
    overwriteAndUnlink(path)
    return Promise.resolve(true)
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

  async write(name: string, sealed: Buffer): Promise<void> {
    await this.#adoptFiles()
    await this.#store.db
      .insertInto('vault_entries')
      .values({ name, sealed })
      .onConflict((oc) => oc.column('name').doUpdateSet({ sealed }))
      .execute()
  }

  async remove(name: string): Promise<boolean> {
    await this.#adoptFiles()
    const result = await this.#store.db
      .deleteFrom('vault_entries')
      .where('name', '=', name)
      .executeTakeFirst()
    // A file of the same entry left from before (see above) goes too.
    const file = await this.#folder.remove(name)
    return result.numDeletedRows > 0n || file
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
        if ((added.numInsertedOrUpdatedRows ?? 0n) > 0n) await this.#folder.remove(name)
      }
    })()
    return this.#adopted
  }
}
