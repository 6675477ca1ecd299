import {
  base32,
  EventAuthor,
  EventId,
  integrityError,
  RespondentId,
  subjectOf,
  WorkspaceEventBody,
  type WorkspaceEventKind,
} from '@amanat/domain'
import type { Entropy } from '../entropy.ts'
import { projectEvent } from '../projections/project-event.ts'
import { insert, type RowOp } from '../projections/row-op.ts'
import type { EventTable } from '../schema/event.table.ts'
import { bodyAad, open, seal } from './body-seal.ts'
import { bodyDigest, eventHashOfDigest } from './hash-chain.ts'
import type { PreparedEvent } from './prepared-event.ts'
import type { AppendedEvent, ChainHead, StoredEvent } from './stored-event.ts'
import type { KeySession } from './subject-keyring.ts'

/**
 * One event to append, already parsed at the store's boundary: from a plain body, or from a
 * prepared event (prepared-event.ts) whose body was parsed and sealed on another thread.
 */
export interface EventDraft {
  readonly author: EventAuthor
  readonly body: WorkspaceEventBody
  readonly recordedAt: string
  readonly prepared?: PreparedEvent
}

/**
 * Turns drafts into the rows one write transaction stores, continuing the chain from `head`:
 * the event row (body sealed when it has a subject), a `subject_keys` row for a respondent seen
 * for the first time, then the event's projection operations, in that order. Synchronous, so the
 * SQLite write path never yields inside its transaction.
 */
export class EventComposer {
  #head: ChainHead
  readonly #keys: KeySession
  readonly #entropy: Entropy

  constructor(head: ChainHead, keys: KeySession, entropy: Entropy) {
    this.#head = head
    this.#keys = keys
    this.#entropy = entropy
  }

  compose(draft: EventDraft): { appended: AppendedEvent; ops: RowOp[] } {
    const { author, body, recordedAt, prepared } = draft
    const seq = this.#head.seq + 1
    const subject = subjectOf(body)
    const ops: RowOp[] = []
    let id: EventId
    let stored: Uint8Array
    let digest: Uint8Array | null = null
    let respondentNo: number | null = null
    if (prepared !== undefined) {
      id = prepared.id as EventId // checked at the boundary (checkPrepared)
      stored = prepared.json
      if (subject !== null && prepared.sealed !== null && prepared.dataKey !== null) {
        const { key, wrapped, respondentNo: no } = this.#keys.keyForWriting(subject, seq, prepared.dataKey)
        if (wrapped !== null)
          ops.push(insert('subject_keys', { subject, respondent_no: no, wrapped_key: wrapped }))
        // Sealed under the key the writer keeps for this respondent: adopted here, or the same key
        // adopted from an earlier event of this preparer's call. Otherwise seal it again.
        if (key.equals(prepared.dataKey)) stored = prepared.sealed
        else {
          stored = seal(key, prepared.json, bodyAad(id, subject), this.#entropy)
          digest = bodyDigest(stored)
        }
        respondentNo = no
      }
      digest ??= prepared.digest
    } else {
      id = EventId.parse(base32(this.#entropy(16)))
      const json = Buffer.from(JSON.stringify(body), 'utf8')
      stored = json
      if (subject !== null) {
        const { key, wrapped, respondentNo: no } = this.#keys.keyForWriting(subject, seq)
        if (wrapped !== null)
          ops.push(insert('subject_keys', { subject, respondent_no: no, wrapped_key: wrapped }))
        stored = seal(key, json, bodyAad(id, subject), this.#entropy)
        json.fill(0)
        respondentNo = no
      }
      digest = bodyDigest(stored)
    }
    const prevHash = this.#head.hash
    const hash = eventHashOfDigest({ seq, id, kind: body.kind, author, recordedAt, subject, prevHash }, digest)
    const storedBody = Buffer.isBuffer(stored) ? stored : Buffer.from(stored.buffer, stored.byteOffset, stored.length)
    ops.push(
      insert('events', {
        seq,
        id,
        kind: body.kind,
        author,
        recorded_at: recordedAt,
        subject,
        body: storedBody,
        prev_hash: prevHash,
        hash,
      }),
    )
    for (const op of projectEvent(body, { recordedAt, respondentNo, seq })) ops.push(op)
    this.#head = { seq, hash }
    return { appended: { seq, id, hash: hash.toString('hex') }, ops }
  }
}

/** A stored event's body, opened and parsed, with its subject's number (null without a subject). */
export interface DecodedBody {
  readonly body: WorkspaceEventBody
  readonly respondentNo: number | null
}

/**
 * The body of a stored event: opened with the subject's key when sealed, then parsed with the
 * domain schema (the database is a boundary too). Null when the subject's key is gone (shredded).
 * Throws integrity `workspace.corrupt` when the bytes do not open or do not parse, or when the
 * body's kind or subject disagrees with the row's.
 */
export function decodeBody(row: EventTable, keys: KeySession): DecodedBody | null {
  let json: Buffer
  let respondentNo: number | null = null
  if (row.subject === null) json = row.body
  else {
    const key = keys.keyForReading(row.subject)
    if (key === null) return null
    json = open(key.key, row.body, bodyAad(row.id, row.subject))
    respondentNo = key.respondentNo
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(json.toString('utf8'))
  } catch {
    throw malformed(row.seq)
  } finally {
    if (row.subject !== null) json.fill(0)
  }
  const result = WorkspaceEventBody.safeParse(parsed)
  if (!result.success) throw malformed(row.seq)
  const body = result.data
  if (body.kind !== row.kind || subjectOf(body) !== row.subject) throw malformed(row.seq)
  return { body, respondentNo }
}

/** The decoded form of a stored event row (see {@link decodeBody}). */
export function decodeEvent(row: EventTable, keys: KeySession): StoredEvent {
  const id = EventId.safeParse(row.id)
  const author = EventAuthor.safeParse(row.author)
  const subject = row.subject === null ? null : RespondentId.safeParse(row.subject)
  const recordedAt = new Date(row.recorded_at)
  if (
    !id.success ||
    !author.success ||
    (subject !== null && !subject.success) ||
    Number.isNaN(recordedAt.getTime())
  ) {
    throw malformed(row.seq)
  }
  const decoded = decodeBody(row, keys)
  const body = decoded?.body ?? null
  if (body === null && !isEventKind(row.kind)) throw malformed(row.seq)
  return {
    seq: row.seq,
    id: id.data,
    kind: body?.kind ?? (row.kind as WorkspaceEventKind),
    author: author.data,
    recordedAt,
    subject: subject === null ? null : subject.data,
    body,
    hash: Buffer.from(row.hash).toString('hex'),
    prevHash: Buffer.from(row.prev_hash).toString('hex'),
  }
}

const EVENT_KINDS: ReadonlySet<string> = new Set(
  WorkspaceEventBody.options.map((option) => option.shape.kind.value),
)

function isEventKind(kind: string): kind is WorkspaceEventKind {
  return EVENT_KINDS.has(kind)
}

const malformed = (seq: number) =>
  integrityError('workspace.corrupt', `Event ${String(seq)} in the workspace log cannot be decoded.`, { seq })
