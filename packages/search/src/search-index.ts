import type { StoredEvent, WorkspaceStore } from '@amanat/database'
import { describeIssues, usageError } from '@amanat/domain'
import { z } from 'zod'
import { documentsOf, loadRespondents, textsOf, type IndexDocument, type RespondentRows } from './documents.ts'
import { facetExpression, noFilters, SearchFilters } from './filters.ts'
import { openIndexFile, type IndexConnection } from './index-file.ts'
import { parseQuery, textExpression } from './query.ts'
import { snippetOf, type Snippet } from './snippet.ts'

/** What to search for. `query` may be empty when filters are given (a filtered list). */
export const SearchRequest = z
  .object({
    query: z.string().max(1000),
    filters: SearchFilters.default({}),
    limit: z.number().int().min(1).max(100).default(20),
    /** The `next` cursor of the previous page. */
    after: z.string().max(200).optional(),
  })
  .strict()
export type SearchRequest = z.input<typeof SearchRequest>

/** One result: a testimony, its score (lower is better, bm25 as FTS5 reports it) and a snippet. */
export interface SearchHit {
  readonly respondentId: string
  readonly testimonyId: string
  readonly score: number
  readonly snippet: Snippet | null
}

export interface SearchResults {
  readonly hits: readonly SearchHit[]
  /** Pass as `after` for the next page; null on the last page. */
  readonly next: string | null
}

/** What a catch-up did. */
export interface CatchUpReport {
  /** The index was built from nothing (new, unreadable, or from an older format). */
  readonly rebuilt: boolean
  /** Testimonies (re)indexed and respondents dropped. */
  readonly indexed: number
  readonly erased: number
  /** The event seq the index now reflects. */
  readonly seq: number
}

/** Sizes, for the bench and the size test: bytes of the FTS tables against bytes of text indexed. */
export interface IndexSize {
  readonly documents: number
  readonly textBytes: number
  readonly indexBytes: number
  readonly fileBytes: number
}

/** Options for {@link openSearchIndex}. */
export interface SearchIndexOptions {
  /** The index file, conventionally `<workspace>/search.db`. */
  readonly file: string
  /** 32 bytes: {@link searchIndexKey} of the workspace's store key. */
  readonly key: Uint8Array
  /** The open workspace store the index follows. */
  readonly store: WorkspaceStore
}

/**
 * Full-text search over a workspace's testimonies: an index in its own encrypted file that
 * follows the event log. It records the seq (and hash) of the last event it reflects and
 * catches up from there; `search` catches up first, so an erased respondent is never found.
 * Concurrent calls are serialised.
 */
export interface SearchIndex {
  /** Brings the index up to the newest event; see {@link CatchUpReport}. */
  catchUp(onProgress?: (done: number, total: number) => void): Promise<CatchUpReport>
  /**
   * Searches (after catching up). Throws usage `search.bad_request` for a request that does not
   * parse, `search.empty_query` when there is neither a searchable word nor a filter,
   * `search.query_too_long`, and `search.bad_cursor`.
   */
  search(request: SearchRequest): Promise<SearchResults>
  size(): IndexSize
  close(): void
}

/** Opens (creating or rebuilding as needed) the search index of `store`. */
export function openSearchIndex(options: SearchIndexOptions): SearchIndex {
  const { db, fresh } = openIndexFile(options.file, options.key)
  return new FullTextIndex(db, options.store, fresh)
}

/** Respondents loaded from the store per round: one `in` list per projection table. */
const RESPONDENTS_PER_ROUND = 500
const EVENTS_PER_PAGE = 5000

interface Position {
  readonly seq: number
  readonly hash: string
}

class FullTextIndex implements SearchIndex {
  readonly #db: IndexConnection
  readonly #store: WorkspaceStore
  #fresh: boolean
  #queue: Promise<unknown> = Promise.resolve()

  constructor(db: IndexConnection, store: WorkspaceStore, fresh: boolean) {
    this.#db = db
    this.#store = store
    this.#fresh = fresh
  }

  catchUp(onProgress?: (done: number, total: number) => void): Promise<CatchUpReport> {
    return this.#serial(() => this.#catchUp(onProgress))
  }

  search(request: SearchRequest): Promise<SearchResults> {
    const parsed = SearchRequest.safeParse(request)
    if (!parsed.success) {
      return Promise.reject(usageError('search.bad_request', `The search request is not valid: ${describeIssues(parsed.error).join('; ')}.`))
    }
    return this.#serial(async () => {
      await this.#catchUp(undefined)
      return this.#search(parsed.data)
    })
  }

  size(): IndexSize {
    const pages = this.#db
      .prepare("select name, sum(pgsize) as bytes from dbstat where aggregate = 1 group by name")
      .all() as { name: string; bytes: number }[]
    const indexBytes = pages.filter((p) => p.name.startsWith('terms_')).reduce((sum, p) => sum + p.bytes, 0)
    const fileBytes = pages.reduce((sum, p) => sum + p.bytes, 0)
    const docs = this.#db.prepare('select count(*) as n, coalesce(sum(text_bytes), 0) as bytes from docs').get() as { n: number; bytes: number }
    return { documents: docs.n, textBytes: docs.bytes, indexBytes, fileBytes }
  }

  close(): void {
    this.#db.close()
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work)
    this.#queue = run.catch(() => undefined)
    return run
  }

  async #catchUp(onProgress: ((done: number, total: number) => void) | undefined): Promise<CatchUpReport> {
    const head = await this.#head()
    let position = this.#position()
    let rebuilt = this.#fresh
    if (!(await this.#stillInChain(position, head))) {
      this.#reset()
      position = { seq: 0, hash: '' }
      rebuilt = true
    }
    this.#fresh = false
    if (head === null || position.seq === head.seq) return { rebuilt, indexed: 0, erased: 0, seq: position.seq }
    if (position.seq === 0) {
      const indexed = await this.#build(head, onProgress)
      return { rebuilt: true, indexed, erased: 0, seq: head.seq }
    }
    return { rebuilt, ...(await this.#follow(position, head, onProgress)) }
  }

  /** The newest event, or null for an empty log. */
  async #head(): Promise<Position | null> {
    const row = await this.#store.db.selectFrom('events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst()
    return row === undefined ? null : { seq: row.seq, hash: Buffer.from(row.hash).toString('hex') }
  }

  #position(): Position {
    const rows = this.#db.prepare("select key, value from meta where key in ('seq', 'hash')").all() as { key: string; value: string }[]
    const value = (key: string) => rows.find((r) => r.key === key)?.value
    return { seq: Number(value('seq') ?? 0), hash: value('hash') ?? '' }
  }

  /**
   * Whether the event the index last reflected is still in the store's log with the same hash. Not
   * when the workspace was restored from an older backup or replaced: then the index starts over.
   */
  async #stillInChain(position: Position, head: Position | null): Promise<boolean> {
    if (position.seq === 0) return true
    if (head === null || head.seq < position.seq) return false
    const row = await this.#store.db.selectFrom('events').select('hash').where('seq', '=', position.seq).executeTakeFirst()
    return row !== undefined && Buffer.from(row.hash).toString('hex') === position.hash
  }

  #reset(): void {
    this.#db.exec("delete from docs; delete from terms; delete from meta where key in ('seq', 'hash')")
  }

  /**
   * Builds the index from the projections (not by replaying the log: the tables already hold the
   * state the log leads to, and opening every sealed event again would cost more than indexing).
   * The head is read before the first row, so events appended meanwhile are caught up next time.
   */
  async #build(head: Position, onProgress: ((done: number, total: number) => void) | undefined): Promise<number> {
    const total = Number(
      (await this.#store.db.selectFrom('testimonies').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    )
    let after = 0
    let indexed = 0
    for (;;) {
      const page = await this.#store.db
        .selectFrom('testimonies')
        .select('respondent_no')
        .distinct()
        .where('respondent_no', '>', after)
        .orderBy('respondent_no')
        .limit(RESPONDENTS_PER_ROUND)
        .execute()
      const last = page.at(-1)
      if (last === undefined) break
      const numbers = page.map((r) => r.respondent_no)
      const documents = [...(await loadRespondents(this.#store, numbers)).values()].flatMap(documentsOf)
      this.#write(() => this.#insert(documents))
      indexed += documents.length
      after = last.respondent_no
      onProgress?.(indexed, total)
    }
    this.#write(() => this.#setPosition(head))
    this.#db.exec("insert into terms (terms) values ('optimize')")
    this.#checkpoint()
    return indexed
  }

  /** Follows the log from `position`: re-reads every respondent an event touched, drops the erased. */
  async #follow(
    position: Position,
    head: Position,
    onProgress: ((done: number, total: number) => void) | undefined,
  ): Promise<{ indexed: number; erased: number; seq: number }> {
    let seq = position.seq
    let indexed = 0
    let erased = 0
    while (seq < head.seq) {
      const events = await this.#store.events({ afterSeq: seq, limit: EVENTS_PER_PAGE })
      const last = events.at(-1)
      if (last === undefined) break
      const { touched, gone } = changesIn(events)
      const present = await this.#respondentNumbers([...touched])
      for (const id of touched) if (!present.has(id)) gone.add(id)
      const rows = new Map<number, RespondentRows>()
      const numbers = [...present.values()]
      for (let i = 0; i < numbers.length; i += RESPONDENTS_PER_ROUND) {
        for (const [no, r] of await loadRespondents(this.#store, numbers.slice(i, i + RESPONDENTS_PER_ROUND))) rows.set(no, r)
      }
      const documents = [...rows.values()].flatMap(documentsOf)
      const lastPosition = { seq: last.seq, hash: last.hash }
      this.#write(() => {
        erased += this.#drop([...gone])
        this.#drop([...present.keys()])
        this.#insert(documents)
        this.#setPosition(lastPosition)
      })
      indexed += documents.length
      seq = last.seq
      onProgress?.(seq - position.seq, head.seq - position.seq)
    }
    if (erased > 0) this.#purge()
    return { indexed, erased, seq }
  }

  /** Respondent id → respondent number, for the ids that still have a key (erased ones do not). */
  async #respondentNumbers(ids: readonly string[]): Promise<Map<string, number>> {
    const numbers = new Map<string, number>()
    for (let i = 0; i < ids.length; i += RESPONDENTS_PER_ROUND) {
      const rows = await this.#store.db
        .selectFrom('subject_keys')
        .select(['subject', 'respondent_no'])
        .where('subject', 'in', ids.slice(i, i + RESPONDENTS_PER_ROUND))
        .execute()
      for (const row of rows) numbers.set(row.subject, row.respondent_no)
    }
    return numbers
  }

  #write(work: () => void): void {
    this.#db.transaction(work)()
  }

  #insert(documents: readonly IndexDocument[]): void {
    const doc = this.#db.prepare('insert into docs (respondent_id, respondent_no, testimony_id, text_bytes) values (?, ?, ?, ?)')
    const terms = this.#db.prepare('insert into terms (rowid, body, facets) values (?, ?, ?)')
    for (const d of documents) {
      const { lastInsertRowid } = doc.run(d.respondentId, d.respondentNo, d.testimonyId, d.textBytes)
      terms.run(lastInsertRowid, d.body, d.facets)
    }
  }

  /** Deletes the documents of these respondents; returns how many respondents had any. */
  #drop(respondentIds: readonly string[]): number {
    const docids = this.#db.prepare('select docid from docs where respondent_id = ?').pluck()
    const deleteTerms = this.#db.prepare('delete from terms where rowid = ?')
    const deleteDocs = this.#db.prepare('delete from docs where respondent_id = ?')
    let dropped = 0
    for (const id of respondentIds) {
      const ids = docids.all(id) as number[]
      for (const docid of ids) deleteTerms.run(docid)
      if (ids.length > 0) dropped++
      deleteDocs.run(id)
    }
    return dropped
  }

  #setPosition(position: Position): void {
    const set = this.#db.prepare('insert into meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value')
    set.run('seq', String(position.seq))
    set.run('hash', position.hash)
  }

  /**
   * After an erasure. FTS5 deletes from a contentless table by tombstone: the erased terms stay in
   * the index's segments until they are merged. `optimize` merges every segment into one, dropping
   * them; `secure_delete` zeroes the freed pages, and the WAL, which still holds the old pages, is
   * checkpointed and truncated. The cost grows with the index (see the bench), and erasure is rare.
   */
  #purge(): void {
    this.#db.exec("insert into terms (terms) values ('optimize')")
    this.#checkpoint()
  }

  #checkpoint(): void {
    this.#db.pragma('wal_checkpoint(TRUNCATE)')
  }

  #search(request: z.output<typeof SearchRequest>): Promise<SearchResults> {
    const units = parseQuery(request.query)
    const facets = facetExpression(request.filters)
    if (units.length === 0 && noFilters(request.filters)) {
      throw usageError('search.empty_query', 'Type a word to search for, or choose a filter.')
    }
    const match = [units.length > 0 ? textExpression(units) : null, facets].filter((e) => e !== null).join(' AND ')
    const cursor = request.after === undefined ? null : parseCursor(request.after)
    const rows = this.#db
      .prepare(
        // Rank and cut in the FTS table alone, then join the page's few rows to their documents:
        // joining every match before the sort costs a B-tree lookup per matching testimony.
        `select d.docid, d.respondent_id as respondentId, d.respondent_no as respondentNo, d.testimony_id as testimonyId, t.score
         from (
           select rowid, rank as score from terms
           where terms match ? ${cursor === null ? '' : 'and (rank > ? or (rank = ? and rowid > ?))'}
           order by rank, rowid limit ?
         ) as t join docs as d on d.docid = t.rowid
         order by t.score, t.rowid`,
      )
      .all(...[match, ...(cursor === null ? [] : [cursor.score, cursor.score, cursor.docid]), request.limit + 1]) as {
      docid: number
      respondentId: string
      respondentNo: number
      testimonyId: string
      score: number
    }[]
    const page = rows.slice(0, request.limit)
    return this.#withSnippets(page, units).then((hits) => {
      const last = page.at(-1)
      return { hits, next: rows.length > request.limit && last !== undefined ? cursorOf(last.score, last.docid) : null }
    })
  }

  async #withSnippets(
    rows: readonly { respondentId: string; respondentNo: number; testimonyId: string; score: number }[],
    units: ReturnType<typeof parseQuery>,
  ): Promise<SearchHit[]> {
    const loaded = await loadRespondents(this.#store, [...new Set(rows.map((r) => r.respondentNo))])
    return rows.flatMap((row) => {
      const respondent = loaded.get(row.respondentNo)
      const testimony = respondent?.testimonies.find((t) => t.id === row.testimonyId)
      // Gone from the store since the catch-up a moment ago: never show it.
      if (respondent === undefined || testimony === undefined) return []
      const snippet = snippetOf(textsOf(respondent, testimony), units)
      return [{ respondentId: row.respondentId, testimonyId: row.testimonyId, score: row.score, snippet }]
    })
  }
}

/** Which respondents a page of events touched, and which it erased. */
function changesIn(events: readonly StoredEvent[]): { touched: Set<string>; gone: Set<string> } {
  const touched = new Set<string>()
  const gone = new Set<string>()
  for (const event of events) {
    if (event.subject !== null) touched.add(event.subject)
    const body = event.body
    if (body !== null && body.kind === 'respondent.erased') {
      gone.add(body.respondentId)
      touched.delete(body.respondentId)
    }
  }
  return { touched, gone }
}

const Cursor = z.tuple([z.number(), z.number().int().min(1)])

function cursorOf(score: number, docid: number): string {
  return Buffer.from(JSON.stringify([score, docid])).toString('base64url')
}

function parseCursor(text: string): { score: number; docid: number } {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
  } catch {
    value = null
  }
  const parsed = Cursor.safeParse(value)
  if (!parsed.success) throw usageError('search.bad_cursor', 'That page cursor is not one this search gave out.')
  return { score: parsed.data[0], docid: parsed.data[1] }
}
