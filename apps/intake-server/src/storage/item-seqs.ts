import type { Kysely } from 'kysely'
import { scanInPages } from './paged-scan.ts'
import type { IntakeTables } from './tables.ts'

type Db = Kysely<IntakeTables>

/**
 * Where the SQLite store finds an item by its id: a map from id to seq in memory, instead of an
 * index on `items.id` (docs/decisions/0022). Ids are 128 random bits, so every insert into such
 * an index lands on a random page, and every group commit wrote one more page per submission to
 * the WAL and again to the database file: measured, 46 KB written per 4 KB submission with the
 * index and 31 KB without it, and the durable rate went from 0.54 to 0.78 of the rolled-back one.
 * Only deletions look items up by id, and they come from the analyst, a few times a pull.
 *
 * The map is built on first use from one pass over the table (in seq order, never reading the
 * bodies' overflow pages), then kept in step with what commits: callers record their changes
 * while the transaction runs and apply them only once it has committed. When another connection
 * has committed since (`PRAGMA data_version`, checked as each transaction begins), the store
 * drops it and it is read again. It is never the authority:
 * a deletion re-reads each candidate row by its seq and checks the id before deleting it.
 */
export class ItemSeqs {
  #byId: Map<string, number> | null = null

  /** The seqs of the `ids` that are stored, read inside the caller's transaction. */
  async lookUp(db: Db, ids: readonly string[]): Promise<Map<string, number>> {
    const byId = await this.#load(db)
    const candidates = new Map<number, string>()
    for (const id of ids) {
      const seq = byId.get(id)
      if (seq !== undefined) candidates.set(seq, id)
    }
    const found = new Map<string, number>()
    const seqs = [...candidates.keys()]
    for (let at = 0; at < seqs.length; at += 1000) {
      const rows = await db.selectFrom('items').select(['seq', 'id']).where('seq', 'in', seqs.slice(at, at + 1000)).execute()
      for (const row of rows) if (candidates.get(Number(row.seq)) === row.id) found.set(row.id, Number(row.seq))
    }
    return found
  }

  /** Drops the map (another connection wrote to the table); the next lookup reads it again. */
  forget(): void {
    this.#byId = null
  }

  /** Items that committed. */
  added(items: readonly { readonly id: string; readonly seq: number }[]): void {
    if (this.#byId === null) return // the first lookup reads them from the table
    for (const item of items) this.#byId.set(item.id, item.seq)
  }

  /** Items whose deletion committed. */
  removed(ids: Iterable<string>): void {
    if (this.#byId === null) return
    for (const id of ids) this.#byId.delete(id)
  }

  async #load(db: Db): Promise<Map<string, number>> {
    if (this.#byId !== null) return this.#byId
    const byId = new Map<string, number>()
    await scanInPages(
      (after, limit) => db.selectFrom('items').select(['seq', 'id']).where('seq', '>', after).orderBy('seq').limit(limit).execute(),
      (row) => Number(row.seq),
      (row) => byId.set(row.id, Number(row.seq)),
    )
    this.#byId = byId
    return byId
  }
}
