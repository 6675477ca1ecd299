import type { Statement } from 'better-sqlite3-multiple-ciphers'
import type { StoredSubjectKey } from '../events/subject-keyring.ts'
import type { SqliteConnection } from './sqlite.ts'

/**
 * Which respondent number each subject has, held in memory for SQLite.
 *
 * On SQLite `subject_keys` is keyed by `respondent_no` alone (its rowid), with no index on the
 * subject: an index on a random id puts every new respondent on a random page, and at a million
 * respondents maintaining it alone cost about a minute of a bulk load (bench notes in the
 * package's decision record). This map takes the index's place: it is read once, on first use
 * (about 100 bytes a respondent), and kept current by this connection's own commits.
 *
 * The file stays the authority. A lookup reads the key row by number and checks its subject, so
 * a subject another process shredded is not found; and when `PRAGMA data_version` says another
 * connection committed, rows numbered above the highest known are read in (numbers are the seq of
 * a subject's first event, so another writer's new subjects always number higher).
 */
export class SqliteSubjectDirectory {
  readonly #connection: SqliteConnection
  #numbers: Map<string, number> | null = null
  #highest = 0
  #dataVersion = -1
  #statements: DirectoryStatements | undefined

  constructor(connection: SqliteConnection) {
    this.#connection = connection
  }

  /** The stored key row of `subject`, or null when it has none. Call inside a transaction for a consistent answer. */
  find(subject: string): StoredSubjectKey | null {
    const numbers = this.#current()
    const no = numbers.get(subject)
    if (no === undefined) return null
    const row = this.#prepared.byNumber.get(no)
    if (row?.subject !== subject) {
      numbers.delete(subject)
      return null
    }
    return { wrappedKey: row.wrapped_key, respondentNo: no }
  }

  /** The respondent number of `subject`, or null. */
  numberOf(subject: string): number | null {
    return this.find(subject)?.respondentNo ?? null
  }

  /** Records subjects whose key rows this connection has just committed. */
  added(entries: Iterable<readonly [subject: string, respondentNo: number]>): void {
    const numbers = this.#current()
    for (const [subject, no] of entries) {
      numbers.set(subject, no)
      if (no > this.#highest) this.#highest = no
    }
  }

  /** Forgets a subject whose key row this connection has just deleted. */
  removed(subject: string): void {
    this.#numbers?.delete(subject)
  }

  #current(): Map<string, number> {
    if (this.#numbers === null) {
      this.#numbers = new Map()
      this.#dataVersion = this.#readDataVersion()
      this.#readFrom(0)
      return this.#numbers
    }
    const version = this.#readDataVersion()
    if (version !== this.#dataVersion) {
      this.#dataVersion = version
      this.#readFrom(this.#highest)
    }
    return this.#numbers
  }

  #readFrom(after: number): void {
    const numbers = this.#numbers
    if (numbers === null) return
    for (const row of this.#prepared.after.iterate(after)) {
      numbers.set(row.subject, row.respondent_no)
      if (row.respondent_no > this.#highest) this.#highest = row.respondent_no
    }
  }

  #readDataVersion(): number {
    // Prepared once: `connection.pragma()` prepares the statement on every call (2.9 µs against
    // 0.1 µs measured here), and this runs on every lookup.
    return this.#prepared.dataVersion.get() as number
  }

  get #prepared(): DirectoryStatements {
    this.#statements ??= {
      byNumber: this.#connection.prepare(
        'select "subject", "wrapped_key" from "subject_keys" where "respondent_no" = ?',
      ),
      after: this.#connection.prepare(
        'select "subject", "respondent_no" from "subject_keys" where "respondent_no" > ? order by "respondent_no"',
      ),
      dataVersion: this.#connection.prepare<[], number>('pragma data_version').pluck(),
    }
    return this.#statements
  }
}

interface DirectoryStatements {
  readonly byNumber: Statement<[number], { subject: string; wrapped_key: Buffer }>
  readonly after: Statement<[number], { subject: string; respondent_no: number }>
  readonly dataVersion: Statement<[], number>
}
