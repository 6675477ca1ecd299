import {
  base32,
  describeIssues,
  EventId,
  inputError,
  RespondentId,
  subjectOf,
  WorkspaceEventBody,
  type WorkspaceEventKind,
} from '@amanat/domain'
import { z } from 'zod'
import { systemEntropy, type Entropy } from '../entropy.ts'
import { bodyAad, DATA_KEY_LENGTH, seal } from './body-seal.ts'
import { bodyDigest } from './hash-chain.ts'

/**
 * Events parsed and sealed ahead of the write, on another thread (docs/decisions/0019).
 *
 * On the bulk paths (a study import, a large pull) most of an append's CPU is spent before a
 * single row is written: parsing the body against the domain schema, serialising it, drawing a
 * data key for a new respondent, sealing the body and hashing the sealed bytes. None of that
 * depends on the log's head, so a worker thread can do it while the writer's thread writes the
 * previous batch. What is left for the writer is what must be sequential: the seq, the chain
 * hash, the respondent's number, wrapping a new data key under the subject KEK (which never
 * leaves the store), the projections and the rows.
 *
 * A prepared event is plain data (it crosses `postMessage` as it is). The preparer is the
 * boundary: it parses each body with `WorkspaceEventBody`, exactly as `appendBatch` does with a
 * plain body, and serialises the parsed value. The writer checks the envelope with a schema,
 * parses the JSON, and checks that the body's kind and subject are the envelope's before it uses
 * anything; it does not parse the body with the domain schema a second time.
 *
 * Keys: one fresh data key per respondent per `prepare` call, carried in the event. The writer
 * adopts it when the respondent is new; when the respondent already has a stored key, it seals the
 * JSON again under that key (the slow path, the same work as a plain body). Call
 * {@link wipePrepared} on the events once they are handed over: they hold plaintext and keys.
 */

export const PREPARED_FORMAT = 'amanat/prepared-event/v1'

/** One event made ready for the writer by an {@link EventPreparer}. */
export interface PreparedEvent {
  readonly prepared: typeof PREPARED_FORMAT
  readonly id: string
  readonly kind: WorkspaceEventKind
  readonly subject: string | null
  /** The parsed body as JSON (UTF-8): what is stored, sealed when there is a subject. */
  readonly json: Uint8Array
  /** The JSON sealed under `dataKey` for this event's id and subject; null without a subject. */
  readonly sealed: Uint8Array | null
  /** SHA-256 of the stored bytes (`sealed`, or `json` without a subject), as the chain hash takes it. */
  readonly digest: Uint8Array
  /** The data key `sealed` is sealed under (32 bytes); null without a subject. */
  readonly dataKey: Uint8Array | null
}

/** True for a {@link PreparedEvent} (as opposed to a plain event body). */
export function isPreparedEvent(value: unknown): value is PreparedEvent {
  return typeof value === 'object' && value !== null && (value as { prepared?: unknown }).prepared === PREPARED_FORMAT
}

/**
 * Parses a body at the store's boundary. Throws input `input.invalid` naming the batch index and
 * the problems, never the content.
 */
export function parseEventBody(input: unknown, index: number): WorkspaceEventBody {
  const result = WorkspaceEventBody.safeParse(input)
  if (!result.success) {
    const problems = describeIssues(result.error)
    throw inputError('input.invalid', `Event ${String(index)} of the batch is not valid: ${problems.join('; ')}.`, {
      what: 'workspace event',
      index,
      problems,
    })
  }
  return result.data
}

/**
 * Parses and seals event bodies for the writer. Holds no workspace key: only the data keys it
 * draws, which the writer wraps. Safe to use on any thread; one instance per thread.
 */
export class EventPreparer {
  readonly #entropy: Entropy

  constructor(entropy: Entropy = systemEntropy()) {
    this.#entropy = entropy
  }

  /**
   * Prepares `bodies` in order. Events about the same respondent within one call share one data
   * key, so a batch about one new respondent is adopted whole.
   *
   * @throws AmanatError input `input.invalid` (details: `index`) for a body that does not parse;
   *   nothing of the call is returned then.
   */
  prepare(bodies: readonly unknown[]): PreparedEvent[] {
    return this.prepareParsed(bodies.map((input, index) => parseEventBody(input, index)))
  }

  /**
   * {@link prepare} for bodies that are already the output of `WorkspaceEventBody`'s parse (its
   * branded types say so: a mapped submission is one), so they are not parsed a second time.
   */
  prepareParsed(bodies: readonly WorkspaceEventBody[]): PreparedEvent[] {
    const keys = new Map<string, Buffer>()
    const out: PreparedEvent[] = []
    for (const body of bodies) {
      const id = base32(this.#entropy(16))
      const subject = subjectOf(body)
      const json = Buffer.from(JSON.stringify(body), 'utf8')
      if (subject === null) {
        out.push({ prepared: PREPARED_FORMAT, id, kind: body.kind, subject, json, sealed: null, digest: bodyDigest(json), dataKey: null })
        continue
      }
      let key = keys.get(subject)
      if (key === undefined) {
        key = Buffer.from(this.#entropy(DATA_KEY_LENGTH))
        keys.set(subject, key)
      }
      const sealed = seal(key, json, bodyAad(id, subject), this.#entropy)
      out.push({ prepared: PREPARED_FORMAT, id, kind: body.kind, subject, json, sealed, digest: bodyDigest(sealed), dataKey: key })
    }
    return out
  }
}

/** Overwrites the plaintext and the keys the events hold (after handing them to the writer). */
export function wipePrepared(events: readonly PreparedEvent[]): void {
  for (const event of events) {
    event.json.fill(0)
    event.dataKey?.fill(0)
  }
}

const EVENT_KINDS = WorkspaceEventBody.options.map((option) => option.shape.kind.value) as [
  WorkspaceEventKind,
  ...WorkspaceEventKind[],
]

const bytes = (length?: number) =>
  z.custom<Uint8Array>((value) => value instanceof Uint8Array && (length === undefined || value.length === length))

/** The envelope the writer checks (the body inside was parsed by the preparer). */
const PreparedEnvelope = z.object({
  prepared: z.literal(PREPARED_FORMAT),
  id: EventId,
  kind: z.enum(EVENT_KINDS),
  subject: RespondentId.nullable(),
  json: bytes(),
  sealed: bytes().nullable(),
  digest: bytes(32),
  dataKey: bytes(DATA_KEY_LENGTH).nullable(),
})

/** What the writer takes from a prepared event: the envelope checked, the body read back from its JSON. */
export interface PreparedParts {
  readonly event: PreparedEvent
  readonly body: WorkspaceEventBody
}

/**
 * Checks a prepared event at the store's boundary and reads its body back. Throws input
 * `input.invalid` (details: `index`) when the envelope does not match, when the JSON does not
 * parse, or when the body's kind or subject is not the envelope's.
 */
export function checkPrepared(input: PreparedEvent, index: number): PreparedParts {
  const envelope = PreparedEnvelope.safeParse(input)
  const invalid = (problem: string) =>
    inputError('input.invalid', `Prepared event ${String(index)} of the batch is not valid: ${problem}.`, {
      what: 'prepared event',
      index,
    })
  if (!envelope.success) throw invalid(describeIssues(envelope.error).join('; '))
  const event = envelope.data
  if ((event.subject === null) !== (event.sealed === null) || (event.subject === null) !== (event.dataKey === null))
    throw invalid('a subject, its sealed body and its key come together')
  let body: WorkspaceEventBody
  try {
    body = JSON.parse(Buffer.from(event.json.buffer, event.json.byteOffset, event.json.length).toString('utf8')) as WorkspaceEventBody
  } catch {
    throw invalid('the body is not JSON')
  }
  if (typeof body !== 'object' || body === null || body.kind !== event.kind || subjectOf(body) !== event.subject)
    throw invalid("the body's kind or subject is not the envelope's")
  return { event: input, body }
}
