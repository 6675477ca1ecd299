import { inputError } from '@amanat/domain'
import type { Kysely } from 'kysely'
import type { Entropy } from './entropy.ts'
import type { EventDraft } from './events/event-log.ts'
import type { AppendedEvent } from './events/stored-event.ts'
import type { StoredSubjectKey, SubjectKeyring } from './events/subject-keyring.ts'
import { RESPONDENT_TABLES } from './projections/erasure.projection.ts'
import type { Database } from './schema/database.ts'
import type { VERSIONED_TABLES } from './migrations/0011_written_seq.ts'

/**
 * Where each versioned table keeps a record's id and its version, and what a missing row counts
 * as: the records of migration 0011 by `id` and `written_seq`, gone when missing; a testimony's
 * workflow status by `testimony_id` and `status_seq` (the seq of the event that set it), version
 * 0 while it has none (the initial `new`).
 */
export const VERSION_COLUMNS: Readonly<
  Record<
    (typeof VERSIONED_TABLES)[number] | 'testimony_status',
    { readonly id: string; readonly version: string; readonly absent: number | undefined }
  >
> = {
  respondents: { id: 'id', version: 'written_seq', absent: undefined },
  testimonies: { id: 'id', version: 'written_seq', absent: undefined },
  incidents: { id: 'id', version: 'written_seq', absent: undefined },
  relatives: { id: 'id', version: 'written_seq', absent: undefined },
  identifiers: { id: 'id', version: 'written_seq', absent: undefined },
  stories: { id: 'id', version: 'written_seq', absent: undefined },
  testimony_status: { id: 'testimony_id', version: 'status_seq', absent: 0 },
}

/**
 * A record an append is based on: the row `id` of respondent `respondentId` in `table` must still
 * be the version `writtenSeq` (its `written_seq`, the seq of the event that last wrote it; for a
 * workflow status, its `status_seq`) when the append's transaction runs; otherwise nothing is
 * written. How an edit made from what someone read a while ago refuses to overwrite, or bring
 * back, what someone else has changed since.
 */
export interface RecordVersion {
  readonly table: keyof typeof VERSION_COLUMNS
  readonly respondentId: string
  readonly id: string
  readonly writtenSeq: number
}

/**
 * Throws input `record.changed` unless `stored` (the row's version column, undefined when there is
 * no row) is the version expected. The message names no content.
 */
export function checkVersion(expected: RecordVersion, stored: number | undefined): void {
  const found = stored ?? VERSION_COLUMNS[expected.table].absent
  if (found === expected.writtenSeq) return
  throw inputError(
    'record.changed',
    found === undefined
      ? 'This record was removed after it was read; nothing was saved.'
      : 'This record was changed after it was read; nothing was saved. Read it again and repeat the change.',
    { table: expected.table, id: expected.id, ...(found === undefined ? {} : { writtenSeq: found }) },
  )
}

/**
 * What differs between the dialects: how a write transaction runs. One implementation per
 * dialect, one code path each for a single append and a batch (a batch of one is a batch).
 * The store calls these one at a time (it serialises writes).
 */
export interface StoreEngine {
  readonly dialect: 'sqlite' | 'postgres'
  readonly db: Kysely<Database>

  /**
   * Appends the drafts after the current head, with their projections, in one transaction: all
   * of it commits or none of it does. Each of `expected` is checked first, inside the transaction
   * and after every other writer is locked out ({@link checkVersion}). Keys created for new
   * subjects reach the keyring's cache only after the commit.
   */
  writeEvents(
    drafts: readonly EventDraft[],
    keyring: SubjectKeyring,
    entropy: Entropy,
    expected?: readonly RecordVersion[],
  ): Promise<AppendedEvent[]>

  /** Empties the projection tables and rebuilds them from the log, in one transaction. */
  rebuildProjections(keyring: SubjectKeyring): Promise<void>

  /** Destroys a subject's data key and their projected rows, in one transaction. True if a key existed. */
  shredSubject(subject: string): Promise<boolean>

  /** The stored key rows of `subjects` that have one. */
  storedKeys(subjects: readonly string[]): Promise<Map<string, StoredSubjectKey>>

  /** The names of the tables in the store (its schema only, on PostgreSQL). */
  tableNames(): Promise<string[]>

  /** Resolves when the storage checks out; throws integrity `workspace.corrupt` otherwise. */
  checkIntegrity(): Promise<void>

  close(): Promise<void>
}

/**
 * The statements that erase a respondent's projected rows, each with the respondent's number
 * bound to its one placeholder (`param`, in the dialect's form): one per table that holds rows of
 * one respondent ({@link RESPONDENT_TABLES}, derived from the table specs), so a table added later,
 * like the case stories and vault keys, is shredded too without anyone listing it here.
 */
export function shredStatements(param: string): string[] {
  return RESPONDENT_TABLES.map((table) => `delete from "${table}" where "respondent_no" = ${param}`)
}

/** Rows per read when the engines walk the log. */
export const LOG_CHUNK = 2000
