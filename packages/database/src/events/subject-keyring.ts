import { AmanatError, inputError } from '@amanat/domain'
import type { Entropy } from '../entropy.ts'
import { DATA_KEY_LENGTH, keyAad, open, seal } from './body-seal.ts'

/** A subject's stored key row: the wrapped data key and the respondent's number. */
export interface StoredSubjectKey {
  readonly wrappedKey: Uint8Array
  readonly respondentNo: number
}

/** Where a batch finds what is already stored for a subject; null when there is nothing. */
export type StoredKeyLookup = (subject: string) => StoredSubjectKey | null

/** Whether the workspace erased `subject` (`erased_respondents`): no key may be made for it again. */
export type ErasedLookup = (subject: string) => boolean

/** A subject's data key, unwrapped, with the respondent's number. */
export interface SubjectKey {
  readonly key: Buffer
  readonly respondentNo: number
}

/**
 * Respondents' data keys: wraps and unwraps them under the subject KEK and keeps recently used
 * ones unwrapped in memory (bounded), so reading a respondent's events does not unwrap per event.
 *
 * A key enters the cache only after the transaction that stored it commits (see
 * {@link KeySession.commit}); a rolled-back batch therefore never leaves behind a key that no
 * `subject_keys` row backs, which would make later events unreadable.
 */
export class SubjectKeyring {
  readonly #kek: Buffer
  readonly #entropy: Entropy
  readonly #capacity: number
  readonly #cache = new Map<string, SubjectKey>()

  constructor(kek: Uint8Array, entropy: Entropy, capacity = 20_000) {
    if (kek.length !== DATA_KEY_LENGTH) throw new RangeError('the subject KEK must be 32 bytes')
    this.#kek = Buffer.from(kek)
    this.#entropy = entropy
    this.#capacity = capacity
  }

  /** A session for one transaction: keys it finds or creates reach the cache only on commit. */
  session(lookup: StoredKeyLookup, erased: ErasedLookup): KeySession {
    return new KeySession(this, lookup, erased)
  }

  /** A session that only opens stored keys (reading the log): asked to make one, it fails. */
  readingSession(lookup: StoredKeyLookup): KeySession {
    return new KeySession(this, lookup, () => {
      throw new AmanatError(
        'internal',
        'workspace.read_only_keys',
        'A key was asked for while only reading the log.',
      )
    })
  }

  /** The unwrapped key of `subject` if cached. */
  cached(subject: string): SubjectKey | undefined {
    return this.#cache.get(subject)
  }

  /** Caches a key, evicting the least recently added one beyond capacity. */
  remember(subject: string, key: SubjectKey): void {
    this.#cache.delete(subject)
    this.#cache.set(subject, key)
    if (this.#cache.size > this.#capacity) {
      const oldest = this.#cache.keys().next()
      if (oldest.done !== true) this.#cache.delete(oldest.value)
    }
  }

  /**
   * Drops a subject's key from the cache (after shredding). The bytes are left to the garbage
   * collector rather than overwritten: a read in flight may still hold them.
   */
  forget(subject: string): void {
    this.#cache.delete(subject)
  }

  /**
   * A data key for `subject` and its wrapped form: a copy of `offered` (a key a preparer drew on
   * another thread, see prepared-event.ts) or a new random one.
   */
  create(subject: string, offered?: Uint8Array): { key: Buffer; wrapped: Buffer } {
    const key = Buffer.from(offered ?? this.#entropy(DATA_KEY_LENGTH))
    return { key, wrapped: seal(this.#kek, key, keyAad(subject), this.#entropy) }
  }

  /** The data key inside `wrapped`; throws integrity `workspace.corrupt` when it does not authenticate. */
  unwrap(subject: string, wrapped: Uint8Array): Buffer {
    return open(this.#kek, wrapped, keyAad(subject))
  }

  /** Overwrites every key held in memory. The keyring is unusable afterwards. */
  destroy(): void {
    for (const entry of this.#cache.values()) entry.key.fill(0)
    this.#cache.clear()
    this.#kek.fill(0)
  }
}

/** The keys one transaction uses. Not shared between transactions. */
export class KeySession {
  readonly #ring: SubjectKeyring
  readonly #lookup: StoredKeyLookup
  readonly #erased: ErasedLookup
  readonly #seen = new Map<string, SubjectKey>()

  constructor(ring: SubjectKeyring, lookup: StoredKeyLookup, erased: ErasedLookup) {
    this.#ring = ring
    this.#lookup = lookup
    this.#erased = erased
  }

  /**
   * The key to seal `subject`'s event number `seq` with. For a subject seen for the first time a
   * key is created, the respondent is numbered `seq`, and `wrapped` holds the bytes to store in
   * `subject_keys` in this transaction; otherwise `wrapped` is null. A new subject's key is a copy
   * of `offered` when given (a prepared event's key), else drawn here.
   *
   * @throws AmanatError input `respondent.erased` for a subject the workspace erased (even while
   *   their key is not destroyed yet): a new key would bring them back under their old id (the
   *   caller's transaction then rolls back whole).
   */
  keyForWriting(
    subject: string,
    seq: number,
    offered?: Uint8Array,
  ): SubjectKey & { readonly wrapped: Buffer | null } {
    // Before the key is looked at: between recording an erasure and destroying the key, the key
    // is still stored, and an event written then would project rows again.
    if (this.#erased(subject))
      throw inputError(
        'respondent.erased',
        'This respondent was erased: nothing more can be recorded about them.',
      )
    const existing = this.keyForReading(subject)
    if (existing !== null) return { ...existing, wrapped: null }
    const created = this.#ring.create(subject, offered)
    const entry = { key: created.key, respondentNo: seq }
    this.#seen.set(subject, entry)
    return { ...entry, wrapped: created.wrapped }
  }

  /**
   * The key that opens `subject`'s events, or null when none is stored (never created, or
   * shredded). What is stored decides, not the cache: another process may have shredded the
   * subject; the cache only spares unwrapping a key already seen under the same number.
   */
  keyForReading(subject: string): SubjectKey | null {
    const seen = this.#seen.get(subject)
    if (seen !== undefined) return seen
    const stored = this.#lookup(subject)
    if (stored === null) return null
    const cached = this.#ring.cached(subject)
    const entry =
      cached !== undefined && cached.respondentNo === stored.respondentNo
        ? cached
        : { key: this.#ring.unwrap(subject, stored.wrappedKey), respondentNo: stored.respondentNo }
    this.#seen.set(subject, entry)
    return entry
  }

  /** Call after the transaction committed: keeps what it used for the next one. */
  commit(): void {
    for (const [subject, key] of this.#seen) this.#ring.remember(subject, key)
    this.#seen.clear()
  }
}
