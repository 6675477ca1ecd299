import type { Answers, AnswerValue, SubmissionId, UploadId } from '@amanat/domain'
import type { Cleaning } from './strip-metadata.ts'

/**
 * Everything the respondent entered, held in this page's memory only: never in localStorage,
 * sessionStorage, IndexedDB, cookies, Cache Storage or a service worker (SECURITY-TESTS.md T15).
 * It is cleared after a submission is acknowledged and on quick exit. Byte arrays are zeroed;
 * strings cannot be wiped in JavaScript, so they are dropped for the collector.
 */

/** A file the respondent attached, as read, with what cleaning it found. */
export interface HeldFile {
  /** Random upload id, chosen when the file was added; also the attachment answer's value. */
  readonly upload: UploadId
  /** The file name as the respondent's device gave it (sealed, never sent in clear). */
  readonly name: string
  readonly original: Uint8Array
  readonly cleaning: Cleaning
  /** The media type sent: the sniffed image type, or the declared type of a file that cannot be cleaned. */
  readonly mediaType: string
  /** A cleanable image the respondent chose to send with its metadata. */
  keepMetadata: boolean
  /** The respondent accepted sending a file that cannot be cleaned as it is. */
  consentAsIs: boolean
}

/** What a send attempt fixed, so "try again" resends the same bytes under the same ids. */
export interface SendAttempt {
  readonly id: SubmissionId
  sealedSubmission: Uint8Array | null
  /** Sealed attachment bytes by upload id, from sealing until every chunk was acknowledged. */
  readonly sealedFiles: Map<string, Uint8Array>
  /** Upload ids whose every chunk was acknowledged. */
  readonly uploaded: Set<string>
  /** Whether an upload of this attempt was already tried (so the next try asks for its status). */
  readonly tried: Set<string>
}

/** The bytes a held file contributes: cleaned unless the respondent kept the metadata. */
export function contentOf(file: HeldFile): Uint8Array {
  return file.cleaning.kind === 'cleaned' && !file.keepMetadata ? file.cleaning.bytes : file.original
}

/** True when the file was sent with whatever metadata it carries. */
export function metadataKept(file: HeldFile): boolean {
  return file.cleaning.kind === 'not_cleanable' || file.keepMetadata
}

/** The page's memory of one respondent's answers. */
export class AnswerMemory {
  answers: Record<string, AnswerValue> = {}
  readonly files = new Map<string, HeldFile>()
  /** Typed text that is not an answer yet (a half-written number or date), by answer path. */
  readonly drafts = new Map<string, string>()
  attempt: SendAttempt | null = null

  /** The current answers (the live object: renderers write into it). */
  get current(): Answers {
    return this.answers
  }

  set(id: string, value: AnswerValue | undefined): void {
    if (value === undefined) delete this.answers[id]
    else this.answers[id] = value
  }

  /** The answer at an answer path: `question`, or `group[k].question` inside a group instance. */
  get(path: string): AnswerValue | undefined {
    const at = parseAnswerPath(path)
    if (at.group === null) return this.answers[at.question]
    const instances = this.answers[at.group]
    return Array.isArray(instances) ? (instances[at.index] as Record<string, AnswerValue> | undefined)?.[at.question] : undefined
  }

  /** Stores the answer at an answer path (the group instance must exist). */
  setAt(path: string, value: AnswerValue | undefined): void {
    const at = parseAnswerPath(path)
    if (at.group === null) {
      this.set(at.question, value)
      return
    }
    const instances = this.answers[at.group]
    const instance = Array.isArray(instances) ? (instances[at.index] as Record<string, AnswerValue> | undefined) : undefined
    if (instance === undefined) return
    if (value === undefined) delete instance[at.question]
    else instance[at.question] = value
  }

  /** Forgets everything: answers, files (bytes zeroed), the send attempt. */
  clear(): void {
    for (const file of this.files.values()) {
      file.original.fill(0)
      if (file.cleaning.kind === 'cleaned') file.cleaning.bytes.fill(0)
    }
    this.files.clear()
    this.drafts.clear()
    if (this.attempt !== null) {
      this.attempt.sealedSubmission?.fill(0)
      for (const bytes of this.attempt.sealedFiles.values()) bytes.fill(0)
    }
    this.attempt = null
    this.answers = {}
  }
}

/** An answer path taken apart: `home_country`, or `incidents[1].incident_type`. */
export function parseAnswerPath(path: string): { group: string | null; index: number; question: string } {
  const match = /^(\w+)\[(\d+)\]\.(\w+)$/.exec(path)
  if (match === null) return { group: null, index: 0, question: path }
  return { group: match[1] ?? '', index: Number(match[2]), question: match[3] ?? '' }
}

/** The parts of the browser quick exit touches (so tests can pass their own). */
export interface ExitTarget {
  readonly document: { readonly body: { replaceChildren(): void }; title: string }
  readonly location: { replace(url: string): void }
}

/**
 * Leaves at once for a harmless page: forgets the answers, empties the document, and replaces the
 * current history entry (`location.replace`, so Back does not return to the questionnaire).
 */
export function quickExit(memory: AnswerMemory, target: ExitTarget, url: string): void {
  memory.clear()
  target.document.body.replaceChildren()
  target.document.title = ''
  target.location.replace(url)
}

/** Escape pressed twice within this many milliseconds triggers quick exit. */
export const DOUBLE_ESCAPE_MS = 1500

/**
 * Calls `exit` when Escape is pressed twice in a row within {@link DOUBLE_ESCAPE_MS} (once would
 * fire when a respondent only meant to close a picker). Returns a function that removes the listener.
 */
export function onDoubleEscape(
  target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>,
  exit: () => void,
  now: () => number = () => Date.now(),
): () => void {
  let last = -Infinity
  const listener = (event: Event) => {
    if ((event as KeyboardEvent).key !== 'Escape') {
      last = -Infinity
      return
    }
    const at = now()
    if (at - last <= DOUBLE_ESCAPE_MS) exit()
    last = at
  }
  target.addEventListener('keydown', listener)
  return () => target.removeEventListener('keydown', listener)
}
