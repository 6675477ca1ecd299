import { integrityError } from '@amanat/domain'
import type { Statement } from 'better-sqlite3-multiple-ciphers'
import type { Kysely } from 'kysely'
import {
  checkVersion,
  LOG_CHUNK,
  shredStatements,
  VERSION_COLUMNS,
  type RecordVersion,
  type StoreEngine,
} from '../engine.ts'
import type { Entropy } from '../entropy.ts'
import { decodeBody, EventComposer, type EventDraft } from '../events/event-log.ts'
import { GENESIS_HASH } from '../events/hash-chain.ts'
import type { AppendedEvent, ChainHead } from '../events/stored-event.ts'
import type { KeySession, StoredSubjectKey, SubjectKeyring } from '../events/subject-keyring.ts'
import { projectEvent } from '../projections/project-event.ts'
import { PROJECTION_TABLES, type Database } from '../schema/database.ts'
import type { EventTable } from '../schema/event.table.ts'
import { sqliteKysely, translateSqliteError, type SqliteConnection } from './sqlite.ts'
import type { SqliteCheckpointer } from './sqlite-checkpointer.ts'
import { SqliteSubjectDirectory } from './sqlite-subject-directory.ts'
import { SqliteWriter } from './sqlite-writer.ts'

interface LogStatements {
  readonly head: Statement<[], { seq: number; hash: Buffer }>
  readonly chunk: Statement<[number, number], EventTable>
  readonly erased: Statement<[string], { seq: number }>
}

/**
 * The SQLite engine. Every write runs synchronously inside one `BEGIN IMMEDIATE` transaction on
 * the single connection: nothing can interleave with it, and there is no await between BEGIN and
 * COMMIT, so Kysely's reads on the same connection never see half a batch.
 */
export class SqliteEngine implements StoreEngine {
  readonly dialect = 'sqlite'
  readonly db: Kysely<Database>
  readonly #connection: SqliteConnection
  readonly #writer: SqliteWriter
  // Prepared on first use: the tables exist only once migrations have run.
  #statements: LogStatements | undefined

  readonly #directory: SqliteSubjectDirectory
  /** `written_seq` lookups by table, prepared on first use (record versions: engine.ts). */
  readonly #versionStatements = new Map<RecordVersion['table'], Statement>()
  #checkpointer: SqliteCheckpointer | null = null

  constructor(connection: SqliteConnection) {
    this.#connection = connection
    this.db = sqliteKysely(connection)
    this.#writer = new SqliteWriter(connection)
    this.#directory = new SqliteSubjectDirectory(connection)
  }

  /** Hands checkpoints to a second thread from now on (see {@link SqliteCheckpointer}). */
  checkpointInBackground(checkpointer: SqliteCheckpointer): void {
    this.#checkpointer = checkpointer
  }

  get #prepared(): LogStatements {
    this.#statements ??= {
      head: this.#connection.prepare('select "seq", "hash" from "events" order by "seq" desc limit 1'),
      chunk: this.#connection.prepare('select * from "events" where "seq" > ? order by "seq" limit ?'),
      erased: this.#connection.prepare('select "seq" from "erased_respondents" where "respondent_id" = ?'),
    }
    return this.#statements
  }

  writeEvents(
    drafts: readonly EventDraft[],
    keyring: SubjectKeyring,
    entropy: Entropy,
    expected: readonly RecordVersion[] = [],
  ): Promise<AppendedEvent[]> {
    const session = this.#session(keyring)
    const created: [string, number][] = []
    const appended = this.#inTransaction(() => {
      for (const record of expected) checkVersion(record, this.#writtenSeq(record))
      const head = this.#prepared.head.get()
      const start: ChainHead =
        head === undefined ? { seq: 0, hash: GENESIS_HASH } : { seq: head.seq, hash: head.hash }
      const composer = new EventComposer(start, session, entropy)
      const out: AppendedEvent[] = []
      for (const draft of drafts) {
        const { appended, ops } = composer.compose(draft)
        for (const op of ops) {
          this.#writer.apply(op)
          if (op.table === 'subject_keys' && op.kind === 'insert')
            created.push([op.row.subject, op.row.respondent_no])
        }
        out.push(appended)
      }
      return out
    })
    this.#directory.added(created)
    session.commit()
    this.#checkpointer?.afterCommit()
    return Promise.resolve(appended)
  }

  rebuildProjections(keyring: SubjectKeyring): Promise<void> {
    const session = this.#session(keyring)
    this.#inTransaction(() => {
      for (const table of PROJECTION_TABLES) this.#connection.prepare(`delete from "${table}"`).run()
      let after = 0
      for (;;) {
        const rows = this.#prepared.chunk.all(after, LOG_CHUNK)
        if (rows.length === 0) break
        for (const row of rows) {
          const decoded = decodeBody(row, session)
          if (decoded !== null) {
            const context = { recordedAt: row.recorded_at, respondentNo: decoded.respondentNo, seq: row.seq }
            for (const op of projectEvent(decoded.body, context)) this.#writer.apply(op)
          }
          after = row.seq
        }
      }
    })
    session.commit()
    this.#checkpointer?.afterCommit()
    return Promise.resolve()
  }

  async shredSubject(subject: string): Promise<boolean> {
    const existed = this.#inTransaction(() => {
      const no = this.#directory.numberOf(subject)
      if (no === null) return false
      for (const text of shredStatements('?')) this.#connection.prepare(text).run(no)
      this.#connection.prepare('delete from "subject_keys" where "respondent_no" = ?').run(no)
      return true
    })
    this.#directory.removed(subject)
    // Copy the overwritten pages into the main file and empty the WAL, so no older frame still
    // holds the wrapped key (secure_delete has already zeroed it in the new page images). The
    // shred itself has committed; a truncation that cannot get the lock now is left to later.
    await this.#checkpointer?.idle()
    try {
      this.#connection.pragma('wal_checkpoint(TRUNCATE)')
    } catch {
      // busy: another connection is reading; the next checkpoint reuses the WAL from its start.
    }
    return existed
  }

  storedKeys(subjects: readonly string[]): Promise<Map<string, StoredSubjectKey>> {
    const found = new Map<string, StoredSubjectKey>()
    try {
      for (const subject of subjects) {
        const stored = this.#directory.find(subject)
        if (stored !== null) found.set(subject, stored)
      }
    } catch (error) {
      return Promise.reject(translateSqliteError(error))
    }
    return Promise.resolve(found)
  }

  tableNames(): Promise<string[]> {
    const rows = this.#connection.prepare("select name from sqlite_schema where type = 'table'").all() as {
      name: string
    }[]
    return Promise.resolve(rows.map((row) => row.name))
  }

  checkIntegrity(): Promise<void> {
    try {
      const rows = this.#connection.pragma('integrity_check') as { integrity_check: string }[]
      if (rows.length !== 1 || rows[0]?.integrity_check !== 'ok') {
        throw integrityError('workspace.corrupt', "The workspace file failed SQLite's integrity check.", {
          problems: rows.length,
        })
      }
      return Promise.resolve()
    } catch (error) {
      return Promise.reject(translateSqliteError(error))
    }
  }

  async close(): Promise<void> {
    await this.#checkpointer?.close()
    await this.db.destroy()
  }

  /** The `written_seq` of the row `record` names, or undefined when there is none. */
  #writtenSeq(record: RecordVersion): number | undefined {
    const no = this.#directory.numberOf(record.respondentId)
    if (no === null) return undefined
    let statement = this.#versionStatements.get(record.table)
    if (statement === undefined) {
      const { id, version } = VERSION_COLUMNS[record.table]
      statement = this.#connection
        .prepare(`select "${version}" from "${record.table}" where "respondent_no" = ? and "${id}" = ?`)
        .pluck()
      this.#versionStatements.set(record.table, statement)
    }
    return statement.get(no, record.id) as number | undefined
  }

  #session(keyring: SubjectKeyring): KeySession {
    return keyring.session(
      (subject) => this.#directory.find(subject),
      (subject) => this.#prepared.erased.get(subject) !== undefined,
    )
  }

  #inTransaction<T>(work: () => T): T {
    try {
      return this.#connection.transaction(work).immediate()
    } catch (error) {
      throw translateSqliteError(error)
    }
  }
}
