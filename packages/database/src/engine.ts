import type { Kysely } from 'kysely'
import type { Entropy } from './entropy.ts'
import type { EventDraft } from './events/event-log.ts'
import type { AppendedEvent } from './events/stored-event.ts'
import type { StoredSubjectKey, SubjectKeyring } from './events/subject-keyring.ts'
import { RESPONDENT_TABLES } from './projections/erasure.projection.ts'
import type { Database } from './schema/database.ts'

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
   * of it commits or none of it does. Keys created for new subjects reach the keyring's cache only
   * after the commit.
   */
  writeEvents(
    drafts: readonly EventDraft[],
    keyring: SubjectKeyring,
    entropy: Entropy,
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
