import {
  AmanatError,
  EventAuthor,
  inputError,
  RespondentId,
  usageError,
  type WorkspaceEventBody,
} from '@amanat/domain'
import type { Kysely, Migration } from 'kysely'
import { DEFAULT_SCHEMA, openPostgres } from './dialects/postgres.ts'
import { PostgresEngine } from './dialects/postgres-engine.ts'
import { DEFAULT_SQLITE_TUNING, openSqliteConnection, rawKey, type SqliteTuning } from './dialects/sqlite.ts'
import { SqliteCheckpointer } from './dialects/sqlite-checkpointer.ts'
import { SqliteEngine } from './dialects/sqlite-engine.ts'
import type { RecordVersion, StoreEngine } from './engine.ts'
import { systemEntropy, type Entropy } from './entropy.ts'
import { decodeEvent, type EventDraft } from './events/event-log.ts'
import {
  checkPrepared,
  isPreparedEvent,
  parseEventBody,
  wipePrepared,
  type PreparedEvent,
} from './events/prepared-event.ts'
import type { AppendedEvent, StoredEvent } from './events/stored-event.ts'
import { SubjectKeyring } from './events/subject-keyring.ts'
import { verifyChain, type VerifyOptions, type VerifyReport } from './events/verify-chain.ts'
import { restoreIndexes, setIndexesAside } from './deferred-indexes.ts'
import { migrateToLatest } from './migrate.ts'
import { POSTGRES_TYPES, SQLITE_TYPES } from './migrations/column-types.ts'
import { workspaceMigrations } from './migrations/index.ts'
import { TABLE_NAMES, type Database, type TableName } from './schema/database.ts'
import type { StoreConfig } from './store-config.ts'

/** An event body as callers write it: the schema's input (plain strings where the model brands). */
export type WorkspaceEventInput = (typeof WorkspaceEventBody)['_zod']['input']

/** Options for `append` and `appendBatch`. */
export interface AppendOptions {
  /** When the events are recorded; now by default. The same instant for every event of a batch. */
  readonly at?: Date
  /**
   * The versions of the records the change was made from: each must still be current when the
   * write runs, or nothing is written and the append throws input `record.changed` (details:
   * `table`, `id`, and `writtenSeq` when the record is still there). Checked inside the write
   * transaction, after other writers (other processes too) are locked out. A record's version
   * is its `written_seq` column.
   */
  readonly expect?: readonly RecordVersion[]
}

/** Which events `events()` returns. */
export interface EventsQuery {
  /** Only events after this seq (default 0: from the start). */
  readonly afterSeq?: number
  /** At most this many events, 1 to 10,000 (default 1,000). Page with `afterSeq`. */
  readonly limit?: number
}

/**
 * A workspace store: the hash-chained event log and the tables projected from it.
 *
 * Every change goes through `append`/`appendBatch`; the tables are never written directly.
 * Writes are serialised inside the store (and, on PostgreSQL, across processes by a table lock),
 * so concurrent calls are safe and land in call order. Errors are {@link AmanatError}s with the
 * codes named below; a broken connection or a bug surfaces as it is.
 */
export interface WorkspaceStore {
  readonly dialect: 'sqlite' | 'postgres'
  /**
   * The typed Kysely instance, for read queries over the projections (dashboards, search).
   * Writing through it bypasses the log: don't.
   */
  readonly db: Kysely<Database>

  /**
   * Appends one event and updates the projections, atomically. The body is parsed here:
   * throws input `input.invalid` when it or the author does not match the schema, before
   * anything is written.
   */
  append(author: string, body: WorkspaceEventInput, options?: AppendOptions): Promise<AppendedEvent>

  /**
   * Appends the events in order, in one transaction with their projections: all commit, or
   * nothing does (a failure anywhere leaves the store as it was). The bulk path: each commit
   * pays once for every index page it touches, so a large import goes fastest in batches of
   * thousands to tens of thousands (docs/decisions/0018). Throws input `input.invalid`
   * (details: `index`) when any body does not parse, before anything is written. An empty batch
   * writes nothing.
   *
   * An element may be a {@link PreparedEvent} (from an `EventPreparer`, usually on a worker
   * thread: docs/decisions/0019) instead of a plain body; the result is the same rows. The store
   * overwrites a prepared event's plaintext and key once the batch is written or refused.
   */
  appendBatch(
    author: string,
    bodies: readonly (WorkspaceEventInput | PreparedEvent)[],
    options?: AppendOptions,
  ): Promise<readonly AppendedEvent[]>

  /**
   * Decoded events in seq order. A shredded subject's events come back with `body: null`.
   * Throws integrity `workspace.corrupt` for a stored event that does not decode.
   */
  events(query?: EventsQuery): Promise<readonly StoredEvent[]>

  /**
   * Recomputes the whole chain; see {@link VerifyReport}. Detects edited, deleted and reordered
   * events, including a row rewritten with its own hash recomputed (the next link breaks).
   * A consistent rewrite of the whole tail is caught only against a head kept elsewhere: keep
   * `head`, check it later with {@link WorkspaceStore.hasHead}.
   */
  verify(options?: VerifyOptions): Promise<VerifyReport>

  /**
   * The workspace's number for a respondent (`respondent_no`, the key every table of theirs
   * starts with), or null when no event about them is stored or they were shredded. The way to
   * go from a respondent id to their rows without scanning.
   */
  respondentNo(respondentId: string): Promise<number | null>

  /** True when some event in the log has this hash (hex): a checkpoint kept elsewhere is still in the chain. */
  hasHead(hash: string): Promise<boolean>

  /**
   * Rebuilds every projection table from the log, in one transaction, with the secondary
   * indexes built once afterwards (as in {@link bulkLoad}).
   */
  replayProjections(): Promise<void>

  /**
   * Runs `load`, a large batch of appends, with the projections' non-unique secondary indexes set
   * aside, and builds them again once it settles (docs/decisions/0021). Every append inside is an
   * ordinary append (log, chain, projections, unique indexes); reads still answer, only slower.
   * Worth it when the load adds more rows than the workspace holds; a crash inside costs an index
   * build at the next open, nothing else. Nested calls run inside the outer one.
   */
  bulkLoad<T>(load: () => Promise<T>): Promise<T>

  /** Rows per table. */
  counts(): Promise<Readonly<Record<TableName, number>>>

  /**
   * Crypto-shredding: destroys the respondent's data key and removes their projected rows. Their
   * events stay in the log (the chain still verifies) but their bodies can never be opened again.
   * Resolves true when a key existed. On SQLite the WAL is checkpointed and truncated afterwards;
   * on PostgreSQL the deleted rows persist in dead tuples until VACUUM reclaims them.
   */
  shredSubject(respondentId: string): Promise<boolean>

  /**
   * Checks the storage itself. SQLite: every page authenticates under the key and SQLite's
   * `integrity_check` passes. Throws integrity `workspace.corrupt` otherwise.
   */
  checkIntegrity(): Promise<void>

  /** Closes the store; later calls throw usage `workspace.closed`. Waits for writes in flight. */
  close(): Promise<void>
}

/**
 * Opens the store, creating it when `config.create` is set and it does not exist, and brings its
 * schema to the newest version.
 *
 * Throws {@link AmanatError}: input `workspace.not_found` (nothing there and no `create`);
 * input `workspace.wrong_passphrase` (SQLite: the key does not open the file; it is never
 * overwritten); input `workspace.unrecognised` (a database that is not a workspace); integrity
 * `workspace.corrupt` (damaged pages); integrity `workspace.migration_failed` (an upgrade failed
 * and changed nothing); input `workspace.unreachable` (PostgreSQL not answering); usage
 * `workspace.bad_key` / `workspace.bad_schema`.
 */
export function openStore(config: StoreConfig): Promise<WorkspaceStore> {
  return openStoreWith(config, {})
}

/** Internals tests and benchmarks may replace. Not part of the package's API. */
export interface StoreInternals {
  readonly migrations?: Record<string, Migration>
  readonly sqliteTuning?: SqliteTuning
  /** SQLite: checkpoint on a second thread (default true). */
  readonly backgroundCheckpoints?: boolean
}

/** {@link openStore} with replaceable internals (tests: a failing migration; benchmarks: page size). */
export async function openStoreWith(config: StoreConfig, internals: StoreInternals): Promise<WorkspaceStore> {
  if (config.subjectKek.length !== 32)
    throw usageError('workspace.bad_key', 'The subject KEK must be 32 bytes.')
  const entropy = config.unsafeTestEntropy ?? systemEntropy()
  const create = config.create === true
  let engine: StoreEngine
  if (config.dialect === 'sqlite') {
    const tuning = internals.sqliteTuning ?? DEFAULT_SQLITE_TUNING
    const connection = openSqliteConnection({ file: config.file, storeKey: config.storeKey, create, tuning })
    const sqlite = new SqliteEngine(connection)
    engine = sqlite
    await prepareSchema(engine, internals.migrations ?? workspaceMigrations(SQLITE_TYPES), null)
    if (internals.backgroundCheckpoints !== false) {
      const key = config.storeKey === null ? null : rawKey(config.storeKey)
      sqlite.checkpointInBackground(new SqliteCheckpointer(connection, config.file, key, tuning))
    }
  } else {
    const schema = config.schema ?? DEFAULT_SCHEMA
    engine = new PostgresEngine(await openPostgres({ url: config.url, schema, create }))
    await prepareSchema(engine, internals.migrations ?? workspaceMigrations(POSTGRES_TYPES), schema)
  }
  return new Store(engine, new SubjectKeyring(config.subjectKek, entropy), entropy)
}

async function prepareSchema(
  engine: StoreEngine,
  migrations: Record<string, Migration>,
  schema: string | null,
): Promise<void> {
  try {
    const names = await engine.tableNames()
    if (names.length > 0 && !names.includes('kysely_migration')) {
      throw inputError(
        'workspace.unrecognised',
        'This database holds tables but is not an Amanat workspace; it was left untouched.',
      )
    }
    await migrateToLatest(engine.db, migrations, schema)
    // A bulk load that stopped before its end left indexes set aside: build them now.
    if ('0007_deferred_indexes' in migrations) await restoreIndexes(engine.db)
  } catch (error) {
    await engine.close()
    throw error
  }
}

class Store implements WorkspaceStore {
  readonly #engine: StoreEngine
  readonly #keyring: SubjectKeyring
  readonly #entropy: Entropy
  #writes: Promise<unknown> = Promise.resolve()
  #closed = false
  #bulk = false

  constructor(engine: StoreEngine, keyring: SubjectKeyring, entropy: Entropy) {
    this.#engine = engine
    this.#keyring = keyring
    this.#entropy = entropy
  }

  get dialect(): 'sqlite' | 'postgres' {
    return this.#engine.dialect
  }

  get db(): Kysely<Database> {
    return this.#engine.db
  }

  async append(
    author: string,
    body: WorkspaceEventInput,
    options: AppendOptions = {},
  ): Promise<AppendedEvent> {
    const [event] = await this.appendBatch(author, [body], options)
    if (event === undefined)
      throw new AmanatError('internal', 'workspace.append_lost', 'An appended event was not reported.')
    return event
  }

  async appendBatch(
    author: string,
    bodies: readonly (WorkspaceEventInput | PreparedEvent)[],
    options: AppendOptions = {},
  ): Promise<readonly AppendedEvent[]> {
    const prepared = bodies.filter(isPreparedEvent)
    try {
      this.#open()
      const drafts = parseDrafts(author, bodies, options.at ?? new Date())
      if (drafts.length === 0) return []
      return await this.#exclusive(() =>
        this.#engine.writeEvents(drafts, this.#keyring, this.#entropy, options.expect),
      )
    } finally {
      wipePrepared(prepared)
    }
  }

  async events(query: EventsQuery = {}): Promise<readonly StoredEvent[]> {
    this.#open()
    const afterSeq = query.afterSeq ?? 0
    const limit = query.limit ?? 1000
    if (
      !Number.isInteger(afterSeq) ||
      afterSeq < 0 ||
      !Number.isInteger(limit) ||
      limit < 1 ||
      limit > 10_000
    ) {
      throw usageError(
        'workspace.bad_query',
        'events() takes a non-negative integer afterSeq and a limit from 1 to 10,000.',
      )
    }
    const rows = await this.db
      .selectFrom('events')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute()
    const subjects = [...new Set(rows.flatMap((row) => (row.subject === null ? [] : [row.subject])))]
    const stored = await this.#engine.storedKeys(subjects)
    const session = this.#keyring.readingSession((subject) => stored.get(subject) ?? null)
    const events = rows.map((row) => decodeEvent(row, session))
    session.commit()
    return events
  }

  async verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    this.#open()
    return verifyChain(this.db, options)
  }

  async respondentNo(respondentId: string): Promise<number | null> {
    this.#open()
    const stored = await this.#engine.storedKeys([respondentId])
    return stored.get(respondentId)?.respondentNo ?? null
  }

  async hasHead(hash: string): Promise<boolean> {
    this.#open()
    if (!/^[0-9a-f]{64}$/.test(hash)) return false
    // Newest first: a checkpoint is usually recent, and the scan stops at the first match.
    const found = await this.db
      .selectFrom('events')
      .select('seq')
      .where('hash', '=', Buffer.from(hash, 'hex'))
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst()
    return found !== undefined
  }

  async replayProjections(): Promise<void> {
    this.#open()
    return this.bulkLoad(() => this.#exclusive(() => this.#engine.rebuildProjections(this.#keyring)))
  }

  async bulkLoad<T>(load: () => Promise<T>): Promise<T> {
    this.#open()
    if (this.#bulk) return load()
    this.#bulk = true
    try {
      await this.#exclusive(() => setIndexesAside(this.db, this.dialect))
      try {
        return await load()
      } finally {
        await this.#exclusive(() => restoreIndexes(this.db))
      }
    } finally {
      this.#bulk = false
    }
  }

  async counts(): Promise<Readonly<Record<TableName, number>>> {
    this.#open()
    const entries = await Promise.all(
      TABLE_NAMES.map(async (table) => {
        const row = await this.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
        return [table, Number(row.n)] as const
      }),
    )
    return Object.fromEntries(entries) as Record<TableName, number>
  }

  async shredSubject(respondentId: string): Promise<boolean> {
    this.#open()
    const subject = RespondentId.safeParse(respondentId)
    if (!subject.success) throw inputError('input.invalid', 'That is not a respondent id.')
    return this.#exclusive(async () => {
      const existed = await this.#engine.shredSubject(subject.data)
      this.#keyring.forget(subject.data)
      return existed
    })
  }

  async checkIntegrity(): Promise<void> {
    this.#open()
    return this.#exclusive(() => this.#engine.checkIntegrity())
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#writes.catch(() => undefined)
    await this.#engine.close()
    this.#keyring.destroy()
  }

  #open(): void {
    if (this.#closed) throw usageError('workspace.closed', 'The workspace store is closed.')
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#writes.then(work, work)
    this.#writes = run.catch(() => undefined)
    return run
  }
}

function parseDrafts(
  author: string,
  bodies: readonly (WorkspaceEventInput | PreparedEvent)[],
  at: Date,
): EventDraft[] {
  const parsedAuthor = EventAuthor.safeParse(author)
  if (!parsedAuthor.success) {
    throw inputError('input.invalid', 'The event author must be an analyst id or "system".', {
      what: 'author',
    })
  }
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw usageError('workspace.bad_time', 'The time to record events at is not a valid date.')
  }
  const recordedAt = at.toISOString()
  return bodies.map((input, index) => {
    if (isPreparedEvent(input)) {
      const { event, body } = checkPrepared(input, index)
      return { author: parsedAuthor.data, body, recordedAt, prepared: event }
    }
    return { author: parsedAuthor.data, body: parseEventBody(input, index), recordedAt }
  })
}
