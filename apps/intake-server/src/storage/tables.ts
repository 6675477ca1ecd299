/**
 * The intake store's tables, as Kysely sees them. Storage shapes only: routes convert to the wire
 * shapes of @amanat/domain at the edge. No column holds a time finer than a day, an address or a
 * raw token (SECURITY-TESTS.md T08, T16); every id is 128 random bits.
 */

/** Settings and markers: `schema_version`, `credential_sha256`, `last_batch_day`. */
export interface MetaTable {
  key: string
  value: string
}

/** Signed questionnaires, stored exactly as the workbench published them. */
export interface QuestionnaireTable {
  id: string
  /** The signed questionnaire's JSON text, served as it is. */
  document: string
  published_on: string
}

/**
 * Every recipient count a questionnaire has been published with. A page loaded before a
 * re-publish seals to the old recipient set; its submission must still be accepted.
 */
export interface RecipientCountTable {
  questionnaire_id: string
  recipients: number
}

/** Invites, by SHA-256 of the token. The token itself never reaches the server. */
export interface InviteTable {
  token_hash: string
  questionnaire_id: string
  /** The last day on which the invite is accepted. */
  expires_on: string
  /** 1 once revoked. */
  revoked: number
}

/** What an invite has been used for: its one accepted submission and how many went to quarantine. */
export interface InviteUseTable {
  token_hash: string
  /** The page's id of the accepted submission, to recognise a retry; null while only quarantined ones exist. */
  submission_id: string | null
  submission_hash: string | null
  quarantined: number
}

/** Stored submissions and quarantined ones (ciphertext only). */
export interface ItemTable {
  /** A server-made random id (the page's id is kept apart, only to recognise retries). */
  id: string
  /** The seq of the item's chain entry. */
  seq: number
  kind: 'submission' | 'quarantine'
  token_hash: string
  client_id: string
  body: Buffer
  body_hash: string
  day: string
}

/** What was quarantined for an invite, so a retry of a quarantined submission is stored once (kept after deletion). */
export interface QuarantineKeyTable {
  token_hash: string
  client_id: string
  body_hash: string
}

/** Attachment uploads (age files in 1 MiB chunks), by the page's upload id. */
export interface UploadTable {
  upload_id: string
  token_hash: string
  chunk_count: number
  day: string
  /** The seq of the upload's chain entry, set when the last chunk arrives; null until then. */
  seq: number | null
}

export interface ChunkTable {
  upload_id: string
  idx: number
  body: Buffer
}

/** The append-only hash chain over everything stored and deleted. */
export interface ChainTable {
  seq: number
  kind: 'submission' | 'quarantine' | 'upload' | 'deletion'
  item_id: string
  item_hash: string
  day: string
  prev_hash: string
  hash: string
  /** For a deletion: the deleted ids, sorted, as a JSON array. */
  deleted_ids: string | null
}

export interface IntakeTables {
  meta: MetaTable
  questionnaires: QuestionnaireTable
  recipient_counts: RecipientCountTable
  invites: InviteTable
  invite_uses: InviteUseTable
  items: ItemTable
  quarantine_keys: QuarantineKeyTable
  uploads: UploadTable
  chunks: ChunkTable
  chain: ChainTable
}
