import type { IntakeChainEntry } from '@amanat/domain'
import { sql, type Kysely } from 'kysely'
import { randomId } from '../random-id.ts'
import { addDays } from '../clock.ts'
import { applyBatchIn, ChainAppender, readChainHead, uploadHash } from './apply-batch.ts'
import { chainProblem, deletionHash, EMPTY_CHAIN, sha256Hex, type ChainHead } from './chain.ts'
import type {
  ApplyOptions,
  IntakeOutcome,
  IntakeStore,
  IntakeWrite,
  InviteRecord,
  StoreCheck,
  StoreLimits,
  StoredItem,
} from './intake-store.ts'
import { keyedInviteUses, type InviteUses } from './invite-uses.ts'
import type { ItemSeqs } from './item-seqs.ts'
import type { Dialect } from './migrations.ts'
import type { ChainTable, IntakeTables } from './tables.ts'

type Db = Kysely<IntakeTables>

/** What differs between the dialects, given by the SQLite and PostgreSQL openers. */
export interface DialectStrategy {
  readonly dialect: Dialect
  /** Begins a write transaction that holds the write lock from its first statement. */
  begin(db: Db): Promise<void>
  /** Database-level integrity problems (SQLite: `PRAGMA integrity_check`); empty when none. */
  integrityProblems(db: Db): Promise<string[]>
  /** Called after each write transaction commits (SQLite: wakes the checkpointer). */
  afterCommit?(): void
  /**
   * How items are found by id: through a unique index on `items.id` (PostgreSQL), or through
   * {@link ItemSeqs} (SQLite, whose table has no such index).
   */
  readonly itemSeqs?: ItemSeqs
  /** How invite uses are kept: keyed by token hash (PostgreSQL, the default) or appended (SQLite). */
  readonly inviteUses?: InviteUses
  /** Releases the driver's resources. */
  destroy(): Promise<void>
}

const CHECK_PAGE = 500

function toEntry(row: ChainTable): IntakeChainEntry {
  const entry: IntakeChainEntry = {
    seq: Number(row.seq),
    kind: row.kind,
    itemId: row.item_id,
    itemHash: row.item_hash,
    day: row.day,
    prevHash: row.prev_hash,
    hash: row.hash,
  }
  return row.deleted_ids === null ? entry : { ...entry, deletedIds: JSON.parse(row.deleted_ids) as string[] }
}

/** The {@link IntakeStore} over Kysely, shared by both dialects. */
export class KyselyIntakeStore implements IntakeStore {
  readonly dialect: Dialect
  readonly #db: Db
  readonly #strategy: DialectStrategy
  readonly #limits: StoreLimits

  constructor(db: Db, strategy: DialectStrategy, limits: StoreLimits) {
    this.#db = db
    this.#strategy = strategy
    this.#limits = limits
    this.dialect = strategy.dialect
  }

  get #inviteUses(): InviteUses {
    return this.#strategy.inviteUses ?? keyedInviteUses
  }

  /**
   * Runs `work` in a write transaction on one connection; commits unless `commit` is false. What
   * `work` passes to `onCommit` runs after the commit, still holding the connection.
   */
  async #write<T>(work: (db: Db, onCommit: (change: () => void) => void) => Promise<T>, commit = true): Promise<T> {
    return this.#db.connection().execute(async (db) => {
      await this.#strategy.begin(db)
      const changes: (() => void)[] = []
      try {
        const result = await work(db, (change) => changes.push(change))
        await sql.raw(commit ? 'commit' : 'rollback').execute(db)
        if (commit) {
          for (const change of changes) change()
          this.#strategy.afterCommit?.()
        }
        return result
      } catch (error) {
        await sql.raw('rollback').execute(db).catch(() => undefined)
        throw error
      }
    })
  }

  applyBatch(writes: readonly IntakeWrite[], day: string, options: ApplyOptions = {}): Promise<IntakeOutcome[]> {
    const seqs = this.#strategy.itemSeqs
    return this.#write(
      (db, onCommit) =>
        applyBatchIn(db, writes, day, this.#limits, {
          inviteUses: this.#inviteUses,
          onCommit,
          ...(seqs === undefined ? {} : { stored: (items) => onCommit(() => seqs.added(items)) }),
        }),
      options.commit ?? true,
    )
  }

  async recipientCounts(): Promise<ReadonlySet<number>> {
    const rows = await this.#db.selectFrom('recipient_counts').select('recipients').distinct().execute()
    return new Set(rows.map((row) => Number(row.recipients)))
  }

  async publishQuestionnaire(id: string, document: string, recipients: number, day: string): Promise<void> {
    await this.#write(async (db) => {
      await db
        .insertInto('questionnaires')
        .values({ id, document, published_on: day })
        .onConflict((oc) => oc.column('id').doUpdateSet({ document, published_on: day }))
        .execute()
      await db
        .insertInto('recipient_counts')
        .values({ questionnaire_id: id, recipients })
        .onConflict((oc) => oc.columns(['questionnaire_id', 'recipients']).doNothing())
        .execute()
    })
  }

  async findQuestionnaire(id: string): Promise<string | null> {
    const row = await this.#db.selectFrom('questionnaires').select('document').where('id', '=', id).executeTakeFirst()
    return row?.document ?? null
  }

  async addInvites(questionnaireId: string, invites: readonly InviteRecord[]): Promise<number | null> {
    return this.#write(async (db) => {
      const known = await db.selectFrom('questionnaires').select('id').where('id', '=', questionnaireId).executeTakeFirst()
      if (known === undefined) return null
      let added = 0
      for (let at = 0; at < invites.length; at += 1000) {
        const rows = invites.slice(at, at + 1000).map((invite) => ({
          token_hash: invite.tokenHash,
          questionnaire_id: questionnaireId,
          expires_on: invite.expiresOn,
          revoked: 0,
        }))
        const result = await db
          .insertInto('invites')
          .values(rows)
          .onConflict((oc) => oc.column('token_hash').doNothing())
          .executeTakeFirst()
        added += Number(result.numInsertedOrUpdatedRows ?? 0)
      }
      return added
    })
  }

  async revokeInvites(tokenHashes: readonly string[]): Promise<number> {
    return this.#write(async (db) => {
      let revoked = 0
      for (let at = 0; at < tokenHashes.length; at += 1000) {
        const result = await db
          .updateTable('invites')
          .set({ revoked: 1 })
          .where('token_hash', 'in', tokenHashes.slice(at, at + 1000))
          .executeTakeFirst()
        revoked += Number(result.numUpdatedRows)
      }
      return revoked
    })
  }

  async uploadProgress(tokenHash: string, uploadId: string, day: string): Promise<number[]> {
    const invite = await this.#db
      .selectFrom('invites')
      .select(['expires_on', 'revoked'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst()
    if (invite === undefined || Number(invite.revoked) !== 0 || invite.expires_on < day) return []
    const upload = await this.#db
      .selectFrom('uploads')
      .select('token_hash')
      .where('upload_id', '=', uploadId)
      .executeTakeFirst()
    if (upload?.token_hash !== tokenHash) return []
    const rows = await this.#db.selectFrom('chunks').select('idx').where('upload_id', '=', uploadId).orderBy('idx').execute()
    return rows.map((row) => Number(row.idx))
  }

  async chainAfter(after: number, limit: number): Promise<IntakeChainEntry[]> {
    const rows = await this.#db.selectFrom('chain').selectAll().where('seq', '>', after).orderBy('seq').limit(limit).execute()
    return rows.map(toEntry)
  }

  async itemsAfter(after: number, limit: number, maxBytes: number): Promise<StoredItem[]> {
    const items: StoredItem[] = []
    let bytes = 0
    let cursor = after
    // A page of rows at a time so that a large backlog is never read into memory at once.
    while (items.length < limit && bytes < maxBytes) {
      const rows = await this.#db
        .selectFrom('items')
        .selectAll()
        .where('seq', '>', cursor)
        .orderBy('seq')
        .limit(Math.min(50, limit - items.length))
        .execute()
      if (rows.length === 0) break
      for (const row of rows) {
        if (items.length > 0 && bytes + row.body.length > maxBytes) return items
        items.push({ seq: Number(row.seq), kind: row.kind, id: row.id, tokenHash: row.token_hash, sha256: row.body_hash, day: row.day, body: row.body })
        bytes += row.body.length
        cursor = Number(row.seq)
      }
    }
    return items
  }

  async findUpload(uploadId: string): Promise<Buffer | null> {
    const upload = await this.#db.selectFrom('uploads').select('seq').where('upload_id', '=', uploadId).executeTakeFirst()
    if (upload === undefined || upload.seq === null) return null
    const rows = await this.#db.selectFrom('chunks').select('body').where('upload_id', '=', uploadId).orderBy('idx').execute()
    return Buffer.concat(rows.map((row) => row.body))
  }

  async deleteItems(ids: readonly string[], day: string): Promise<{ deleted: string[]; seq: number | null }> {
    return this.#write(async (db, onCommit) => {
      const wanted = [...new Set(ids)]
      const items = await this.#itemSeqsOf(db, wanted)
      const deleted: string[] = [...items.keys()]
      for (let at = 0; at < wanted.length; at += 1000) {
        const slice = wanted.slice(at, at + 1000)
        const uploads = await db.selectFrom('uploads').select('upload_id').where('upload_id', 'in', slice).execute()
        deleted.push(...uploads.map((row) => row.upload_id))
      }
      const seqs = [...items.values()]
      for (let at = 0; at < seqs.length; at += 1000) {
        await db.deleteFrom('items').where('seq', 'in', seqs.slice(at, at + 1000)).execute()
      }
      onCommit(() => this.#strategy.itemSeqs?.removed(items.keys()))
      return { deleted: deleted.sort(), seq: await this.#recordDeletion(db, deleted, day) }
    })
  }

  /** The seq of each of `ids` that is a stored item (ids of anything else are left out). */
  async #itemSeqsOf(db: Db, ids: readonly string[]): Promise<Map<string, number>> {
    if (this.#strategy.itemSeqs !== undefined) return this.#strategy.itemSeqs.lookUp(db, ids)
    const found = new Map<string, number>()
    for (let at = 0; at < ids.length; at += 1000) {
      const rows = await db.selectFrom('items').select(['id', 'seq']).where('id', 'in', ids.slice(at, at + 1000)).execute()
      for (const row of rows) found.set(row.id, Number(row.seq))
    }
    return found
  }

  /**
   * Deletes the uploads among `ids` and appends one deletion entry for all of `ids` (items the
   * caller deleted, and uploads); null when `ids` is empty.
   */
  async #recordDeletion(db: Db, ids: string[], day: string): Promise<number | null> {
    if (ids.length === 0) return null
    const sorted = [...ids].sort()
    for (let at = 0; at < sorted.length; at += 1000) {
      const slice = sorted.slice(at, at + 1000)
      await db.deleteFrom('chunks').where('upload_id', 'in', slice).execute()
      await db.deleteFrom('uploads').where('upload_id', 'in', slice).execute()
    }
    const chain = new ChainAppender(await readChainHead(db))
    const seq = chain.append('deletion', randomId(), deletionHash(sorted), day, JSON.stringify(sorted))
    await chain.insert(db)
    return seq
  }

  async purgeUploads(day: string): Promise<number> {
    const before = addDays(day, -1)
    return this.#write(async (db) => {
      const old = await db
        .selectFrom('uploads')
        .select(['upload_id as uploadId', 'seq', 'token_hash as tokenHash'])
        .where('day', '<', before)
        .execute()
      if (old.length === 0) return 0
      // Incomplete, or on an invite nothing was stored for (no use): nothing can reference it now.
      const uses = await this.#inviteUses.read(db, [...new Set(old.map((row) => row.tokenHash))])
      const stale = old.filter((row) => row.seq === null || !uses.has(row.tokenHash))
      if (stale.length === 0) return 0
      const inChain = stale.filter((row) => row.seq !== null).map((row) => row.uploadId)
      const unchained = stale.filter((row) => row.seq === null).map((row) => row.uploadId)
      for (let at = 0; at < unchained.length; at += 1000) {
        const slice = unchained.slice(at, at + 1000)
        await db.deleteFrom('chunks').where('upload_id', 'in', slice).execute()
        await db.deleteFrom('uploads').where('upload_id', 'in', slice).execute()
      }
      await this.#recordDeletion(db, inChain, day)
      return stale.length
    })
  }

  async credentialHash(): Promise<string | null> {
    const row = await this.#db.selectFrom('meta').select('value').where('key', '=', 'credential_sha256').executeTakeFirst()
    return row?.value ?? null
  }

  async initCredential(hash: string): Promise<boolean> {
    return this.#write(async (db) => {
      const result = await db
        .insertInto('meta')
        .values({ key: 'credential_sha256', value: hash })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst()
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1
    })
  }

  async check(): Promise<StoreCheck> {
    const problems = await this.#strategy.integrityProblems(this.#db)
    let head: ChainHead = EMPTY_CHAIN
    let chainEntries = 0
    const entries = new Map<number, IntakeChainEntry>()
    for (;;) {
      const page = await this.chainAfter(head.seq, CHECK_PAGE)
      if (page.length === 0) break
      const problem = chainProblem(head, page)
      if (problem !== null) {
        problems.push(problem)
        break
      }
      for (const entry of page) entries.set(entry.seq, entry)
      chainEntries += page.length
      const last = page[page.length - 1]
      if (last === undefined) break
      head = { seq: last.seq, hash: last.hash }
    }
    let items = 0
    let cursor = 0
    for (;;) {
      const page = await this.#db.selectFrom('items').selectAll().where('seq', '>', cursor).orderBy('seq').limit(50).execute()
      if (page.length === 0) break
      for (const row of page) {
        items += 1
        cursor = Number(row.seq)
        const entry = entries.get(cursor)
        if (entry === undefined || entry.kind !== row.kind || entry.itemId !== row.id) {
          problems.push(`item ${row.id} has no matching chain entry`)
        } else if (sha256Hex(row.body) !== entry.itemHash || row.body_hash !== entry.itemHash) {
          problems.push(`item ${row.id} does not match the hash in its chain entry`)
        }
      }
    }
    const uploads = await this.#db.selectFrom('uploads').select(['upload_id', 'seq']).where('seq', 'is not', null).execute()
    for (const upload of uploads) {
      const entry = entries.get(Number(upload.seq))
      if (entry === undefined || entry.kind !== 'upload' || entry.itemId !== upload.upload_id) {
        problems.push(`upload ${upload.upload_id} has no matching chain entry`)
      } else if ((await uploadHash(this.#db, upload.upload_id)) !== entry.itemHash) {
        problems.push(`upload ${upload.upload_id} does not match the hash in its chain entry`)
      }
    }
    return { ok: problems.length === 0, problems, chainEntries, items }
  }

  async close(): Promise<void> {
    await this.#db.destroy()
    await this.#strategy.destroy()
  }
}
