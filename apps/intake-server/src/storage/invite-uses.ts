import { sql, type Kysely } from 'kysely'
import { scanInPages } from './paged-scan.ts'
import type { IntakeTables } from './tables.ts'

type Db = Kysely<IntakeTables>

/** What an invite has been used for: a row of `invite_uses`. */
export interface InviteUse {
  readonly submissionId: string | null
  readonly submissionHash: string | null
  readonly quarantined: number
}

/** How a store reads and writes invite uses inside a group commit's transaction. */
export interface InviteUses {
  /** The uses of those of `tokenHashes` that have one. */
  read(db: Db, tokenHashes: readonly string[]): Promise<Map<string, InviteUse>>
  /** Writes new and changed uses; `onCommit` takes what may change only once the transaction commits. */
  write(db: Db, uses: ReadonlyMap<string, InviteUse>, onCommit: (change: () => void) => void): Promise<void>
}

const CHUNK = 1000

/** PostgreSQL: `invite_uses` keyed by token hash, read and upserted through that key. */
export const keyedInviteUses: InviteUses = {
  async read(db, tokenHashes) {
    const uses = new Map<string, InviteUse>()
    for (let at = 0; at < tokenHashes.length; at += CHUNK) {
      const rows = await db
        .selectFrom('invite_uses')
        .select(['token_hash', 'submission_id', 'submission_hash', 'quarantined'])
        .where('token_hash', 'in', tokenHashes.slice(at, at + CHUNK))
        .execute()
      for (const row of rows) uses.set(row.token_hash, toUse(row))
    }
    return uses
  },
  async write(db, uses) {
    if (uses.size === 0) return
    await db
      .insertInto('invite_uses')
      .values([...uses].map(([hash, use]) => toRow(hash, use)))
      .onConflict((oc) =>
        oc.column('token_hash').doUpdateSet((eb) => ({
          submission_id: eb.ref('excluded.submission_id'),
          submission_hash: eb.ref('excluded.submission_hash'),
          quarantined: eb.ref('excluded.quarantined'),
        })),
      )
      .execute()
  },
}

/**
 * SQLite: uses appended to a table with no index on the token hash, and found through a map in
 * memory (docs/decisions/0022). Token hashes are random, so an index on them put every stored
 * submission on a random page of it, written to the WAL and again by the checkpoint: measured,
 * 31 KB written per 4 KB submission with it, 13 KB without. The map is built on first use from
 * one pass over the table and changed only after a commit, and read again when another connection
 * has committed (as {@link ItemSeqs}); a use that changes (a quarantined retry) is updated in place
 * by its rowid.
 */
export class AppendedInviteUses implements InviteUses {
  #byToken: Map<string, { readonly rowid: number; readonly use: InviteUse }> | null = null

  /** Drops the map (another connection wrote to the table); the next use reads it again. */
  forget(): void {
    this.#byToken = null
  }

  async read(db: Db, tokenHashes: readonly string[]): Promise<Map<string, InviteUse>> {
    const all = await this.#load(db)
    const uses = new Map<string, InviteUse>()
    for (const hash of tokenHashes) {
      const known = all.get(hash)
      if (known !== undefined) uses.set(hash, known.use)
    }
    return uses
  }

  async write(db: Db, uses: ReadonlyMap<string, InviteUse>, onCommit: (change: () => void) => void): Promise<void> {
    const all = await this.#load(db)
    const written: [string, { rowid: number; use: InviteUse }][] = []
    const fresh: [string, InviteUse][] = []
    for (const [hash, use] of uses) {
      const known = all.get(hash)
      if (known === undefined) {
        fresh.push([hash, use])
        continue
      }
      await sql`update invite_uses set submission_id = ${use.submissionId}, submission_hash = ${use.submissionHash},
        quarantined = ${use.quarantined} where rowid = ${known.rowid}`.execute(db)
      written.push([hash, { rowid: known.rowid, use }])
    }
    for (let at = 0; at < fresh.length; at += CHUNK) {
      const slice = fresh.slice(at, at + CHUNK)
      const rows = await db
        .insertInto('invite_uses')
        .values(slice.map(([hash, use]) => toRow(hash, use)))
        .returning(['token_hash', sql<number>`rowid`.as('rowid')])
        .execute()
      const byHash = new Map(slice)
      for (const row of rows) {
        const use = byHash.get(row.token_hash)
        if (use !== undefined) written.push([row.token_hash, { rowid: Number(row.rowid), use }])
      }
    }
    onCommit(() => {
      for (const [hash, entry] of written) all.set(hash, entry)
    })
  }

  async #load(db: Db): Promise<Map<string, { readonly rowid: number; readonly use: InviteUse }>> {
    if (this.#byToken !== null) return this.#byToken
    const byToken = new Map<string, { readonly rowid: number; readonly use: InviteUse }>()
    await scanInPages(
      async (after, limit) =>
        (
          await sql<IntakeTables['invite_uses'] & { rowid: number }>`select rowid, token_hash, submission_id,
            submission_hash, quarantined from invite_uses where rowid > ${after} order by rowid limit ${limit}`.execute(db)
        ).rows,
      (row) => Number(row.rowid),
      (row) => byToken.set(row.token_hash, { rowid: Number(row.rowid), use: toUse(row) }),
    )
    this.#byToken = byToken
    return byToken
  }
}

function toUse(row: Pick<IntakeTables['invite_uses'], 'submission_id' | 'submission_hash' | 'quarantined'>): InviteUse {
  return { submissionId: row.submission_id ?? null, submissionHash: row.submission_hash ?? null, quarantined: Number(row.quarantined) }
}

function toRow(hash: string, use: InviteUse): IntakeTables['invite_uses'] {
  return { token_hash: hash, submission_id: use.submissionId, submission_hash: use.submissionHash, quarantined: use.quarantined }
}
