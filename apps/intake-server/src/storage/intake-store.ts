import type { IntakeChainEntry } from '@amanat/domain'

/**
 * What the intake server stores, behind one interface with a SQLite and a PostgreSQL
 * implementation. The store only ever holds ciphertext, token hashes, random ids and days.
 */

/** A sealed submission that passed the checks that need no token (framing, age shape, limits). */
export interface SubmissionWrite {
  readonly kind: 'submission'
  readonly tokenHash: string
  /** The page's id for this submission, the same on every retry. */
  readonly clientId: string
  /** The number of X25519 stanzas in the age header. */
  readonly recipients: number
  readonly body: Buffer
  readonly bodyHash: string
}

/** One chunk of an attachment upload that passed the checks that need no token. */
export interface ChunkWrite {
  readonly kind: 'chunk'
  readonly tokenHash: string
  readonly uploadId: string
  readonly index: number
  readonly count: number
  readonly body: Buffer
}

/** Nothing to write: waits for the next commit, so an answer leaves at the same moment as the others. */
export interface BarrierWrite {
  readonly kind: 'barrier'
}

export type IntakeWrite = SubmissionWrite | ChunkWrite | BarrierWrite

/**
 * What became of a write. Never sent to the client (every client gets the same acknowledgement);
 * tests and the server's own bookkeeping read it.
 * - `stored`: a first submission on a valid invite, or a new chunk;
 * - `repeated`: a retry of something already stored (same id and bytes), stored once;
 * - `quarantined`: a different submission on an invite already used, kept aside for the analysts;
 * - `discarded`: forged, expired or revoked invite, an upload over its invite's budget, or a barrier.
 */
export type IntakeOutcome = 'stored' | 'repeated' | 'quarantined' | 'discarded'

/** A stored submission or quarantined item, as the analysts pull it. */
export interface StoredItem {
  readonly seq: number
  readonly kind: 'submission' | 'quarantine'
  readonly id: string
  readonly tokenHash: string
  readonly sha256: string
  readonly day: string
  readonly body: Buffer
}

/** An invite as the workbench issues it. */
export interface InviteRecord {
  readonly tokenHash: string
  readonly expiresOn: string
}

/** The result of {@link IntakeStore.check}. */
export interface StoreCheck {
  /** True when the database, the chain and every stored item agree. */
  readonly ok: boolean
  /** Plain sentences, one per problem found (ids and seqs only, never content). */
  readonly problems: readonly string[]
  readonly chainEntries: number
  readonly items: number
}

/** Limits the store enforces per invite. */
export interface StoreLimits {
  /** Uploads one invite may start (the page's attachments, with room for a restart). */
  readonly uploadsPerInvite: number
  /** Quarantined submissions kept per invite; more are discarded. */
  readonly quarantinePerInvite: number
}

export interface ApplyOptions {
  /**
   * False only in benchmarks: run every check and write, then roll back instead of committing,
   * to measure what the durable commit costs. Never false in a server.
   */
  readonly commit?: boolean
}

/**
 * The intake server's storage. Every method that writes does so in one transaction that is
 * durable when the promise resolves (SQLite: WAL with synchronous=FULL; PostgreSQL: a committed
 * transaction). Several processes may share one PostgreSQL store: writes that decide on an
 * invite's state and the chain are serialised by a lock, so none loses or duplicates a submission.
 * Any rejected promise from a writing method means the write may not be durable: the caller
 * must fail closed (answer 503 and stop accepting), never retry and then acknowledge.
 */
export interface IntakeStore {
  readonly dialect: 'sqlite' | 'postgres'

  /**
   * Applies `writes` in one transaction on `day` and returns one outcome per write, in order.
   * Decides each write against the invite's state inside the transaction (see
   * {@link IntakeOutcome}); writes to the hash chain for each stored item and completed upload.
   */
  applyBatch(writes: readonly IntakeWrite[], day: string, options?: ApplyOptions): Promise<IntakeOutcome[]>

  /** Every recipient count any questionnaire has been published with. */
  recipientCounts(): Promise<ReadonlySet<number>>

  /** Stores (or replaces) a signed questionnaire's JSON text and records its recipient count. */
  publishQuestionnaire(id: string, document: string, recipients: number, day: string): Promise<void>

  /** The signed questionnaire's JSON text, or null when none is published under `id`. */
  findQuestionnaire(id: string): Promise<string | null>

  /**
   * Records invite hashes for a questionnaire; a hash already known is left as it was. Returns
   * how many were new, or null when no questionnaire `questionnaireId` is published.
   */
  addInvites(questionnaireId: string, invites: readonly InviteRecord[]): Promise<number | null>

  /** Revokes invites by hash; returns how many known invites are now revoked. */
  revokeInvites(tokenHashes: readonly string[]): Promise<number>

  /** The chunk indices of `uploadId` held for this invite; empty when the invite is not valid on `day` or the upload is not its own. */
  uploadProgress(tokenHash: string, uploadId: string, day: string): Promise<number[]>

  /** Chain entries with seq above `after`, in order, at most `limit`. */
  chainAfter(after: number, limit: number): Promise<IntakeChainEntry[]>

  /** Stored items with seq above `after`, in order, at most `limit` and about `maxBytes` of ciphertext (at least one). */
  itemsAfter(after: number, limit: number, maxBytes: number): Promise<StoredItem[]>

  /** A completed upload's age file (its chunks joined), or null when unknown or not complete. */
  findUpload(uploadId: string): Promise<Buffer | null>

  /**
   * Deletes the items and uploads among `ids` that exist and records one deletion entry in the
   * chain. Returns the deleted ids, sorted, and the entry's seq (null when nothing was deleted).
   */
  deleteItems(ids: readonly string[], day: string): Promise<{ deleted: string[]; seq: number | null }>

  /**
   * Deletes uploads older than a day that no submission can reference: incomplete ones, and
   * those on an invite with no stored or quarantined submission. Records a deletion entry for
   * those that were in the chain. Returns how many uploads were deleted.
   */
  purgeUploads(day: string): Promise<number>

  /** The SHA-256 of the analyst credential, or null before the first start. */
  credentialHash(): Promise<string | null>

  /** Stores the credential's hash unless one is stored; true when this call stored it. */
  initCredential(hash: string): Promise<boolean>

  /** Verifies the database, the chain and every stored item against its chain entry. */
  check(): Promise<StoreCheck>

  close(): Promise<void>
}
