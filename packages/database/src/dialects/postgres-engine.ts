import { subjectOf } from '@amanat/domain'
import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely'
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
import type { AppendedEvent } from '../events/stored-event.ts'
import type { KeySession, StoredSubjectKey, SubjectKeyring } from '../events/subject-keyring.ts'
import { projectEvent } from '../projections/project-event.ts'
import { PROJECTION_TABLES, type Database } from '../schema/database.ts'
import { PostgresWriter } from './postgres-writer.ts'

/**
 * The PostgreSQL engine. A write transaction first takes a lock on `events` that only one writer
 * can hold (`share row exclusive`; readers are not blocked), so appenders in several processes
 * continue the chain one after another, then reads the head and the wrapped keys it needs in
 * one query each, and writes through {@link PostgresWriter}.
 */
export class PostgresEngine implements StoreEngine {
  readonly dialect = 'postgres'
  readonly db: Kysely<Database>

  constructor(db: Kysely<Database>) {
    this.db = db
  }

  async writeEvents(
    drafts: readonly EventDraft[],
    keyring: SubjectKeyring,
    entropy: Entropy,
    expected: readonly RecordVersion[] = [],
  ): Promise<AppendedEvent[]> {
    const subjects = new Set<string>()
    for (const draft of drafts) {
      const subject = subjectOf(draft.body)
      // Every subject, cached or not: the stored rows decide (another process may have shredded one).
      if (subject !== null) subjects.add(subject)
    }
    const { appended, session } = await this.db.transaction().execute(async (trx) => {
      await sql`lock table "events" in share row exclusive mode`.execute(trx)
      await checkVersions(trx, expected)
      const head = await trx
        .selectFrom('events')
        .select(['seq', 'hash'])
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst()
      const session = await sessionFor(trx, keyring, subjects)
      const composer = new EventComposer(head ?? { seq: 0, hash: GENESIS_HASH }, session, entropy)
      const writer = new PostgresWriter(trx)
      const appended: AppendedEvent[] = []
      for (const draft of drafts) {
        const { appended: event, ops } = composer.compose(draft)
        for (const op of ops) await writer.apply(op)
        appended.push(event)
      }
      await writer.flush()
      return { appended, session }
    })
    session.commit()
    return appended
  }

  async rebuildProjections(keyring: SubjectKeyring): Promise<void> {
    const sessions = await this.db.transaction().execute(async (trx) => {
      await sql`lock table "events" in share row exclusive mode`.execute(trx)
      for (const table of PROJECTION_TABLES) await trx.deleteFrom(table).execute()
      const writer = new PostgresWriter(trx)
      const used: KeySession[] = []
      let after = 0
      for (;;) {
        const rows = await trx
          .selectFrom('events')
          .selectAll()
          .where('seq', '>', after)
          .orderBy('seq')
          .limit(LOG_CHUNK)
          .execute()
        if (rows.length === 0) break
        const subjects = new Set(rows.flatMap((row) => (row.subject === null ? [] : [row.subject])))
        const session = await sessionFor(trx, keyring, subjects)
        used.push(session)
        for (const row of rows) {
          const decoded = decodeBody(row, session)
          if (decoded !== null) {
            const context = { recordedAt: row.recorded_at, respondentNo: decoded.respondentNo, seq: row.seq }
            for (const op of projectEvent(decoded.body, context)) await writer.apply(op)
          }
          after = row.seq
        }
      }
      await writer.flush()
      return used
    })
    for (const session of sessions) session.commit()
  }

  async shredSubject(subject: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const stored = await trx
        .selectFrom('subject_keys')
        .select('respondent_no')
        .where('subject', '=', subject)
        .executeTakeFirst()
      if (stored === undefined) return false
      for (const text of shredStatements('$1'))
        await trx.executeQuery(CompiledQuery.raw(text, [stored.respondent_no]))
      await trx.deleteFrom('subject_keys').where('subject', '=', subject).execute()
      return true
    })
  }

  async storedKeys(subjects: readonly string[]): Promise<Map<string, StoredSubjectKey>> {
    const found = new Map<string, StoredSubjectKey>()
    if (subjects.length === 0) return found
    const rows = await this.db
      .selectFrom('subject_keys')
      .select(['subject', 'wrapped_key', 'respondent_no'])
      .where('subject', '=', sql<string>`any(${[...subjects]})`)
      .execute()
    for (const row of rows)
      found.set(row.subject, { wrappedKey: row.wrapped_key, respondentNo: row.respondent_no })
    return found
  }

  async tableNames(): Promise<string[]> {
    // Only this schema: a catalog-wide listing can fail while another schema is being dropped.
    const rows = await sql<{
      name: string
    }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(this.db)
    return rows.rows.map((row) => row.name)
  }

  /**
   * PostgreSQL checks its own pages (data checksums, when the cluster was initialised with them);
   * there is no page cipher to authenticate. This only proves the store answers; `verify()` is
   * what checks the log.
   */
  async checkIntegrity(): Promise<void> {
    await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
  }

  close(): Promise<void> {
    return this.db.destroy()
  }
}

/** A key session preloaded with the stored wrapped keys of `subjects`, in one query. */
async function sessionFor(
  trx: Transaction<Database>,
  keyring: SubjectKeyring,
  subjects: ReadonlySet<string>,
): Promise<KeySession> {
  const stored = new Map<string, StoredSubjectKey>()
  const erased = new Set<string>()
  if (subjects.size > 0) {
    const rows = await trx
      .selectFrom('subject_keys')
      .select(['subject', 'wrapped_key', 'respondent_no'])
      .where('subject', '=', sql<string>`any(${[...subjects]})`)
      .execute()
    for (const row of rows)
      stored.set(row.subject, { wrappedKey: row.wrapped_key, respondentNo: row.respondent_no })
    const gone = await trx
      .selectFrom('erased_respondents')
      .select('respondent_id')
      .where('respondent_id', '=', sql<string>`any(${[...subjects]})`)
      .execute()
    for (const row of gone) erased.add(row.respondent_id)
  }
  return keyring.session(
    (subject) => stored.get(subject) ?? null,
    (subject) => erased.has(subject),
  )
}

/**
 * Checks every expected version ({@link checkVersion}) with one query per table however many there
 * are (a recode expects a thousand at a time): the rows are found through their subjects' numbers.
 */
async function checkVersions(trx: Transaction<Database>, expected: readonly RecordVersion[]): Promise<void> {
  for (const table of new Set(expected.map((record) => record.table))) {
    const records = expected.filter((record) => record.table === table)
    const { id, version } = VERSION_COLUMNS[table]
    const found = await sql<{ subject: string; id: string; version: number }>`
      select k."subject", t.${sql.ref(id)} as "id", t.${sql.ref(version)} as "version"
      from ${sql.table(table)} t
      join "subject_keys" k on k."respondent_no" = t."respondent_no"
      join unnest(${records.map((r) => r.respondentId)}::text[], ${records.map((r) => r.id)}::text[]) as e("subject", "id")
        on e."subject" = k."subject" and e."id" = t.${sql.ref(id)}`.execute(trx)
    const versions = new Map(found.rows.map((row) => [`${row.subject}\u0000${row.id}`, Number(row.version)]))
    for (const record of records)
      checkVersion(record, versions.get(`${record.respondentId}\u0000${record.id}`))
  }
}
